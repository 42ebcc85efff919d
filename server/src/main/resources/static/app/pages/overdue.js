import { byIds, fhir, params, patientName, search, SITE, today, valueOf } from '../fhir.js';
import { t } from '../i18n.js';
import { csv, download, h, table } from './html.js';

/** $follow-up-status as a work list: a spoke sees its own patients, the hub every site's. */
export async function render(view, [asOf = today()]) {
  const date = h('input', { type: 'date', id: 'as-of', value: asOf, 'aria-label': t('overdue.asOf') });
  const status = await fhir('$follow-up-status?asOf=' + encodeURIComponent(asOf));
  const rows = params(status, 'site').flatMap(site => params(site, 'visit').map(visit => ({ site: valueOf(site, 'code'), visit })));
  const ids = [...new Set(rows.map(row => valueOf(row.visit, 'patient').reference.replace('Patient/', '')))];
  const names = new Map();
  if (ids.length) {
    (await byIds('Patient', ids)).forEach(p => names.set('Patient/' + p.id, patientName(p)));
  }
  const contacts = await siteContacts([...new Set(rows.map(row => row.site))]);
  const lines = rows.map(({ site, visit }) => ({
    patient: valueOf(visit, 'patient').reference, name: names.get(valueOf(visit, 'patient').reference) || '',
    mrn: valueOf(visit, 'hubMrn') || '', timepoint: valueOf(visit, 'timepoint'), status: valueOf(visit, 'status'),
    start: valueOf(visit, 'windowStart'), end: valueOf(visit, 'windowEnd'), overdue: valueOf(visit, 'daysOverdue') ?? '', site,
  }));
  const exportCsv = () => download(`follow-up-${asOf}.csv`, csv([
    ['patient', 'name', 'hub_mrn', 'visit', 'status', 'window_start', 'window_end', 'days_overdue', 'site'],
    ...lines.map(l => [l.patient, l.name, l.mrn, l.timepoint, l.status, l.start, l.end, l.overdue, l.site])]), 'text/csv');
  view.replaceChildren(h('h1', {}, t('overdue.title')),
    h('form', { class: 'toolbar no-print', onsubmit: event => { event.preventDefault(); location.hash = '#/overdue/' + date.value; } },
      h('label', {}, t('overdue.asOf') + ' ', date), h('button', { type: 'submit' }, t('overdue.show')),
      h('button', { type: 'button', id: 'csv', onclick: exportCsv, disabled: !lines.length }, t('overdue.csv')),
      h('button', { type: 'button', onclick: () => print() }, t('print'))));
  if (!lines.length) {
    view.append(h('p', {}, t('overdue.none')));
    return;
  }
  view.append(table([t('col.patient'), t('col.visit'), t('col.window'), t('col.status'), t('col.daysOverdue'), t('col.site')],
    lines.map(line => ({
      attributes: { 'data-patient': line.patient, 'data-timepoint': line.timepoint, 'data-status': line.status },
      cells: [[h('a', { href: '#/' + line.patient.replace('Patient/', 'patient/') }, line.name || line.patient),
        h('div', { class: 'muted' }, line.mrn)], line.timepoint, line.start + ' – ' + line.end,
      h('span', { class: 'status-' + line.status }, t('status.' + line.status)), line.overdue,
      [contacts.get(line.site)?.name || line.site, ...(contacts.get(line.site)?.telecom || [])
        .map(telecom => h('div', { class: 'muted' }, telecom))]],
    })), { id: 'overdue' }));
}

/** Whom to contact: each site's Organization (name, phone, e-mail) in the hub's directory. */
async function siteContacts(codes) {
  const contacts = new Map();
  if (!codes.length) return contacts;
  const organizations = await search('Organization?identifier=' + codes.map(code => SITE + '|' + code).join(','), 1)
    .catch(() => []);
  for (const organization of organizations) {
    const code = (organization.identifier || []).find(id => id.system === SITE)?.value;
    contacts.set(code, { name: organization.name, telecom: (organization.telecom || []).map(c => c.value) });
  }
  return contacts;
}
