import { byIds, fhir, HUB_MRN, params, patientName, search, SITE, today, valueOf, value } from '../fhir.js';
import { t } from '../i18n.js';
import { h, table } from './html.js';

const REVIEW_TAG = 'https://cart-ltfu.org/fhir/CodeSystem/cart-task|grade-review';
const GRADE = 'https://cart-ltfu.org/fhir/StructureDefinition/astct-grade';

export async function render(view, [query = ''], context) {
  const input = h('input', { id: 'patient-search', type: 'search', value: query, 'aria-label': t('patients.search'),
    placeholder: t('patients.search'), size: 40 });
  const go = event => { event.preventDefault(); location.hash = '#/patients/' + encodeURIComponent(input.value.trim()); };
  view.replaceChildren(h('h1', {}, t('patients.title')),
    h('form', { class: 'toolbar', role: 'search', onsubmit: go }, input, h('button', { type: 'submit' }, t('patients.find'))));
  const found = await find(query.trim(), context);
  if (!found.length) {
    view.append(h('p', {}, t('patients.none')));
    return;
  }
  const [flags, sites] = await Promise.all([flagsOf(found), sitesOf(found)]);
  if (found.length >= 50) {
    view.append(h('p', { class: 'muted' }, t('patients.more')));
  }
  view.append(table([t('col.name'), t('col.identifiers'), t('col.site'), t('col.birthDate'), t('col.flags')],
    found.map(patient => ({
      attributes: { 'data-patient': patient.id },
      cells: [
        h('a', { href: '#/patient/' + patient.id }, patientName(patient)),
        (patient.identifier || []).map(id => h('div', { class: id.system === HUB_MRN ? '' : 'muted' }, id.value)),
        sites.get(patient.managingOrganization?.reference) || patient.managingOrganization?.display || '',
        patient.birthDate || '',
        flags(patient.id),
      ],
    })), { id: 'patients' }));
}

async function find(query, context) {
  if (!query) {
    return search('Patient?_count=50&_sort=family', 1);
  }
  const lookups = [
    search('Patient?name=' + encodeURIComponent(query) + '&_count=50', 1),
    search('Patient?identifier=' + encodeURIComponent(query) + '&_count=50', 1),
  ];
  if (context.role === 'hub') {
    lookups.push(fhir('$trace-product?lot=' + encodeURIComponent(query)).then(trace => {
      const ids = params(trace, 'product').flatMap(product => params(product, 'recipient'))
        .map(recipient => value(params(recipient, 'patient')[0]).reference.replace('Patient/', ''));
      return byIds('Patient', ids);
    }).catch(() => []));
  }
  const byId = new Map();
  (await Promise.all(lookups)).flat().forEach(patient => byId.set(patient.id, patient));
  return [...byId.values()];
}

async function sitesOf(patients) {
  const ids = [...new Set(patients.map(p => p.managingOrganization?.reference).filter(Boolean))]
    .map(reference => reference.replace('Organization/', ''));
  const sites = new Map();
  if (ids.length) {
    (await search('Organization?_id=' + ids.join(','), 1)).forEach(org => sites.set('Organization/' + org.id,
      org.name + ' (' + ((org.identifier || []).find(id => id.system === SITE)?.value || org.id) + ')'));
  }
  return sites;
}

/** Per patient: overdue visit, grade ≥ 3 in the last 30 days, grade review, open malignancy tasks, consent. */
async function flagsOf(patients) {
  const subjects = patients.map(p => 'Patient/' + p.id).join(',');
  const since = new Date(Date.now() - 30 * 86400000).toLocaleDateString('sv-SE');
  const quiet = promise => promise.catch(() => []);
  const [status, severe, review, tasks, consents] = await Promise.all([
    fhir('$follow-up-status?asOf=' + today()).catch(() => null),
    quiet(search(`AdverseEvent?subject=${subjects}&detected=ge${since}&_count=200`, 3)),
    quiet(search(`AdverseEvent?subject=${subjects}&_tag=${encodeURIComponent(REVIEW_TAG)}&_count=200`, 3)),
    quiet(search(`Task?patient=${subjects}&status=requested&_count=200`, 3)),
    quiet(search(`Consent?patient=${subjects}&_count=200`, 3)),
  ]);
  const overdue = new Set(params(status, 'site').flatMap(site => params(site, 'visit'))
    .filter(visit => valueOf(visit, 'status') === 'overdue').map(visit => valueOf(visit, 'patient').reference));
  const of = (resources, path) => new Set(resources.map(path).filter(Boolean));
  const severeSet = of(severe.filter(event => Number((event.extension || []).find(e => e.url === GRADE)
    ?.valueCodeableConcept?.coding?.[0]?.code) >= 3), event => event.subject?.reference);
  const reviewSet = of(review, event => event.subject?.reference);
  const taskSet = of(tasks, task => task.for?.reference);
  const consentSet = of(consents.filter(consent => consent.status === 'active'), consent => consent.patient?.reference);
  return id => {
    const reference = 'Patient/' + id;
    return [
      overdue.has(reference) && h('span', { class: 'flag bad', 'data-flag': 'overdue' }, t('flag.overdue')),
      severeSet.has(reference) && h('span', { class: 'flag bad', 'data-flag': 'severe' }, t('flag.severe')),
      reviewSet.has(reference) && h('span', { class: 'flag warn', 'data-flag': 'review' }, t('flag.review')),
      taskSet.has(reference) && h('span', { class: 'flag warn', 'data-flag': 'malignancy' }, t('flag.malignancy')),
      consentSet.has(reference) ? h('span', { class: 'flag ok', 'data-flag': 'consent' }, t('flag.consent'))
        : h('span', { class: 'flag info', 'data-flag': 'no-consent' }, t('flag.noConsent')),
    ];
  };
}
