// The hub's web app: a SMART app of the hub (see auth.js), pages by hash route. Nothing here decides access: every
// page shows what /fhir answers for the logged-in person.
import { completeLogin, login, logout, session } from './auth.js';
import { whenUnauthorized } from './fhir.js';
import { setLanguage, t } from './i18n.js';
import * as patients from './pages/patients.js';
import * as patient from './pages/patient.js';
import * as overdue from './pages/overdue.js';
import * as trace from './pages/trace.js';
import * as calculator from './pages/calculator.js';
import * as form from './pages/form.js';
import * as upload from './pages/upload.js';

const ROUTES = { patients, patient, overdue, trace, calculator, form, upload };
const view = document.getElementById('view');

async function boot() {
  if (location.hostname === 'localhost') {
    // The app is registered at the loopback address; 'localhost' is not a redirect the authorization server accepts.
    location.replace(location.href.replace('//localhost', '//127.0.0.1'));
    return;
  }
  const config = await (await fetch('config.json')).json();
  const query = new URLSearchParams(location.search);
  if (query.has('code') || query.has('error')) {
    try {
      await completeLogin(config);
    } catch (error) {
      view.innerHTML = '';
      const message = document.createElement('p');
      message.className = 'error';
      message.textContent = t('login.failed') + ': ' + error.message;
      const again = document.createElement('button');
      again.textContent = t('login.again');
      again.onclick = () => login(config, '#/patients');
      view.append(message, again);
      return;
    }
  }
  if (!session()) {
    await login(config, location.hash || '#/patients');
    return;
  }
  whenUnauthorized(() => login(config, location.hash));
  const { claims } = session();
  const context = { role: claims.cart_role, site: claims.cart_site, user: claims.sub, config };
  const language = localStorage.getItem('cart.language') || config.languages[(context.site || '').split('-')[0]] || 'en';
  const picker = document.getElementById('language');
  picker.value = language;
  setLanguage(language);
  picker.onchange = () => { setLanguage(picker.value); route(context); };
  document.getElementById('logout').onclick = logout;
  document.getElementById('who').textContent = `${claims.sub.replace(/^user:/, '')} · ${context.role} · ${context.site}`;
  document.querySelectorAll('[data-role]').forEach(link => { link.hidden = link.dataset.role !== context.role; });
  window.addEventListener('hashchange', () => route(context));
  route(context);
}

async function route(context) {
  const [name, ...args] = (location.hash.replace(/^#\/?/, '') || 'patients').split('/').map(decodeURIComponent);
  const page = ROUTES[name] || patients;
  document.querySelectorAll('#nav a').forEach(link =>
    link.toggleAttribute('aria-current', link.getAttribute('href') === '#/' + name));
  view.innerHTML = `<p>${t('app.loading')}</p>`;
  try {
    await page.render(view, args, context);
  } catch (error) {
    view.innerHTML = '';
    const message = document.createElement('p');
    message.className = 'error';
    message.textContent = error.status === 404 ? t('notFound') : error.message;
    view.append(message);
  }
  view.focus();
}

boot();
