import { byIds, fhir, params, patientName, search, value, valueOf } from '../fhir.js';
import { t } from '../i18n.js';
import { h, table } from './html.js';

/** The recall drill: a lot or chain of identity to every recipient and every event since. Printable. */
export async function render(view, [kind = 'lot', code = '']) {
  const lot = h('input', { id: 'trace-lot', value: kind === 'lot' ? code : '', 'aria-label': t('trace.lot') });
  const coi = h('input', { id: 'trace-coi', value: kind === 'coi' ? code : '', 'aria-label': t('trace.coi') });
  const go = event => {
    event.preventDefault();
    location.hash = lot.value.trim() ? '#/trace/lot/' + encodeURIComponent(lot.value.trim())
      : '#/trace/coi/' + encodeURIComponent(coi.value.trim());
  };
  view.replaceChildren(h('h1', {}, t('trace.title'), code ? ' ' + code : ''),
    h('form', { class: 'toolbar no-print', onsubmit: go }, h('label', {}, t('trace.lot') + ' ', lot),
      h('label', {}, t('trace.coi') + ' ', coi), h('button', { type: 'submit' }, t('trace.find')),
      h('button', { type: 'button', onclick: () => print() }, t('print'))));
  if (!code) return;
  const trace = await fhir(`$trace-product?${kind}=` + encodeURIComponent(code));
  const products = params(trace, 'product');
  view.append(h('p', {}, t('trace.products') + ': ', h('strong', { id: 'products-found' }, valueOf(trace, 'productsFound'))));
  const recipients = products.flatMap(product => params(product, 'recipient').map(recipient => ({ product, recipient })));
  const ids = [...new Set(recipients.map(r => valueOf(r.recipient, 'patient').reference.replace('Patient/', '')))];
  const names = new Map();
  if (ids.length) {
    (await byIds('Patient', ids)).forEach(p => names.set('Patient/' + p.id, patientName(p)));
  }
  view.append(h('h2', {}, t('trace.recipients')), table(
    [t('col.patient'), t('patient.infusion'), t('col.site'), t('col.events')],
    recipients.map(({ product, recipient }) => {
      const patient = valueOf(recipient, 'patient').reference;
      return {
        attributes: { 'data-patient': patient },
        cells: [[h('a', { href: '#/patient/' + patient.replace('Patient/', '') }, names.get(patient) || patient),
          h('div', { class: 'muted' }, params(product, 'identifier').map(id => value(id)?.value).join(' · '))],
        valueOf(recipient, 'infusionDate'), valueOf(recipient, 'site') || '',
        [...params(recipient, 'adverseEvent').map(event => h('div', { 'data-event': valueOf(event, 'event') },
          `${valueOf(event, 'event')} ${valueOf(event, 'astctGrade') !== undefined ? 'G' + valueOf(event, 'astctGrade') : ''} `
          + `(${valueOf(event, 'onset') || ''})`)),
        ...params(recipient, 'newMalignancy').map(m => h('div', { class: 'mismatch' }, `new malignancy (${valueOf(m, 'onset') || ''})`))]],
      };
    }), { id: 'recipients' }));
}
