import { fhir, patientName } from '../fhir.js';
import { display, t } from '../i18n.js';
import { h } from './html.js';

// A spoke's follow-up visit as one profiled FHIR transaction. Every entry is a conditional create on an identifier
// made from this submission's id, so sending the same form again stores nothing twice. What was typed stays in this
// browser (localStorage) until the hub has stored it.
const CS = 'https://cart-ltfu.org/fhir/CodeSystem/';
const SD = 'https://cart-ltfu.org/fhir/StructureDefinition/';
const SUBMISSION = 'https://cart-ltfu.org/fhir/sid/web-form-entry';
const TIMEPOINTS = ['D100', 'M6', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Y8', 'Y9', 'Y10', 'Y11', 'Y12', 'Y13', 'Y14', 'Y15'];
const RESPONSES = ['complete-response', 'very-good-partial-response', 'partial-response', 'stable-disease',
  'progressive-disease', 'relapse', 'not-evaluable'];
const LABS = [
  ['crp', '1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 'mg/L', 'lab-crp'],
  ['ferritin', '2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', 'ug/L', 'lab-ferritin'],
  ['anc', '751-8', 'Neutrophils [#/volume] in Blood by Automated count', '10*9/L', 'lab-anc'],
  ['platelets', '777-3', 'Platelets [#/volume] in Blood by Automated count', '10*9/L', 'lab-platelets'],
  ['igg', '2465-3', 'IgG [Mass/volume] in Serum or Plasma', 'g/L', 'lab-igg'],
];

export async function render(view, [patientId]) {
  const patient = await fhir('Patient/' + encodeURIComponent(patientId));
  const draftKey = 'cart.draft.' + patientId;
  const draft = JSON.parse(localStorage.getItem(draftKey) || 'null') || { submission: crypto.randomUUID(), values: {} };
  const input = (name, attributes = {}) => h('input', { id: 'f-' + name, name, value: draft.values[name] ?? '', ...attributes });
  const choice = (name, codes) => h('select', { id: 'f-' + name, name }, h('option', { value: '' }, '—'),
    codes.map(code => h('option', { value: code, selected: draft.values[name] === code }, code)));
  const row = (label, control) => [h('label', { for: control.id }, label), h('div', {}, control, h('span', {
    class: 'field-error', id: control.id + '-error', role: 'alert' }))];
  const form = h('form', { class: 'grid', id: 'visit-form', novalidate: true },
    ...row(t('form.timepoint'), choice('timepoint', TIMEPOINTS)),
    ...row(t('form.date') + ' (YYYY-MM-DD)', input('date', { inputmode: 'numeric', placeholder: 'YYYY-MM-DD' })),
    ...row(t('form.survival'), choice('survival', ['alive', 'dead', 'unknown'])),
    ...row(t('form.response'), choice('response', RESPONSES)),
    ...row(t('form.responseMethod'), input('responseMethod', { placeholder: 'Lugano 2014, PET-CT' })),
    ...LABS.flatMap(([name, , display, unit]) => row(`${display.split(' [')[0]} (${unit})`,
      input(name, { inputmode: 'decimal' }))),
    ...row(t('form.persistence'), choice('persistence', ['detected', 'not-detected', 'indeterminate'])),
    ...row(t('form.persistenceMethod'), choice('persistenceMethod', ['pcr', 'flow-cytometry', 'immunohistochemistry', 'other'])),
    ...row(t('form.malignancyText'), input('malignancy', { placeholder: t('form.malignancy') })),
    ...row(t('form.malignancyDate') + ' (YYYY-MM-DD)', input('malignancyDate', { inputmode: 'numeric', placeholder: 'YYYY-MM-DD' })),
    ...row(t('form.infections'), input('infections')),
    ...row(t('form.hospitalisations'), input('hospitalisations')),
    h('div', {}), h('div', {}, h('button', { type: 'submit', id: 'submit' }, t('form.submit')),
      h('p', { class: 'muted' }, t('form.draft'))));
  const outcome = h('div', { id: 'form-outcome', 'aria-live': 'polite' });
  const save = () => {
    draft.values = Object.fromEntries([...form.elements].filter(e => e.name).map(e => [e.name, e.value]));
    localStorage.setItem(draftKey, JSON.stringify(draft));
  };
  form.addEventListener('input', save);
  form.onsubmit = async event => {
    event.preventDefault();
    save();
    [...form.querySelectorAll('[aria-invalid]')].forEach(e => e.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach(e => { e.textContent = ''; });
    outcome.replaceChildren();
    const missing = ['timepoint', 'date'].filter(name => !draft.values[name]);
    if (missing.length) {
      missing.forEach(name => mark(form, name, 'required'));
      return;
    }
    const entries = await transaction(patient, draft);
    try {
      await fhir('', { method: 'POST', body: { resourceType: 'Bundle', type: 'transaction', entry: entries.map(e => e.entry) } });
      localStorage.removeItem(draftKey);
      outcome.replaceChildren(h('p', { class: 'status-done', id: 'form-sent' }, t('form.sent'), ' ',
        h('a', { href: '#/patient/' + patient.id }, patientName(patient))));
    } catch (error) {
      outcome.replaceChildren(h('p', { class: 'error' }, t('form.failed'), ' ', error.message));
      for (const issue of error.outcome?.issue || []) {
        const where = [...(issue.expression || []), ...(issue.location || []), issue.diagnostics || ''].join(' ');
        const index = /entry\[(\d+)\]/.exec(where);
        const byValue = Object.entries(draft.values).find(([, v]) => v && v.length > 1 && where.includes(v));
        const fields = index ? entries[Number(index[1])]?.fields : byValue ? [byValue[0]] : [];
        (fields || []).forEach(name => mark(form, name, issue.diagnostics));
      }
    }
  };
  view.replaceChildren(h('h1', {}, t('form.title'), ': ', patientName(patient)), form, outcome);
  // Coded choices read in the person's language (the CodeSystems' designations); the values sent stay the codes.
  for (const [name, system] of Object.entries(CODED)) {
    for (const option of form.querySelectorAll(`#f-${name} option[value]:not([value=""])`)) {
      display(CS + system, option.value).then(text => { option.textContent = text; });
    }
  }
}

const CODED = { timepoint: 'ltfu-timepoint', survival: 'survival-status', response: 'disease-response',
  persistence: 'detection-result', persistenceMethod: 'persistence-method' };

function mark(form, name, message) {
  const control = form.querySelector('#f-' + name);
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', control.id + '-error');
  form.querySelector('#f-' + name + '-error').textContent = message;
}

/** The transaction's entries, each with the form fields it came from (to put the server's errors next to them). */
async function transaction(patient, { submission, values }) {
  const subject = { reference: 'Patient/' + patient.id };
  const site = patient.managingOrganization;
  const entries = [];
  const add = (part, resource, fields) => {
    const value = `${submission}-${part}`;
    resource.identifier = [{ system: SUBMISSION, value }];
    entries.push({ fields, entry: { fullUrl: 'urn:uuid:' + crypto.randomUUID(), resource,
      request: { method: 'POST', url: resource.resourceType, ifNoneExist: `identifier=${SUBMISSION}|${value}` } } });
    return entries[entries.length - 1].entry.fullUrl;
  };
  const when = values.date;
  const encounter = add('visit', { resourceType: 'Encounter', meta: { profile: [SD + 'followup-visit'] }, status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: CS + 'ltfu-timepoint', code: values.timepoint }] }], subject,
    period: { start: when }, serviceProvider: site }, ['timepoint', 'date']);
  const observation = (profile, code, extra) => ({ resourceType: 'Observation', meta: { profile: [SD + profile] },
    status: 'final', code: { coding: [{ system: CS + 'cart-observation', code }] }, subject,
    encounter: { reference: encounter }, effectiveDateTime: when, ...extra });
  if (values.survival) {
    add('survival', observation('survival-status', 'survival-status',
      { valueCodeableConcept: { coding: [{ system: CS + 'survival-status', code: values.survival }] } }), ['survival']);
  }
  if (values.response) {
    add('response', observation('disease-response', 'disease-response', {
      valueCodeableConcept: { coding: [{ system: CS + 'disease-response', code: values.response }] },
      ...(values.responseMethod ? { method: { text: values.responseMethod } } : {}) }), ['response', 'responseMethod']);
  }
  if (values.persistence) {
    add('persistence', observation('cart-persistence', 'cart-persistence', {
      valueCodeableConcept: { coding: [{ system: CS + 'detection-result', code: values.persistence }] },
      ...(values.persistenceMethod ? { method: { coding: [{ system: CS + 'persistence-method', code: values.persistenceMethod }] } } : {}),
    }), ['persistence', 'persistenceMethod']);
  }
  for (const [name, loinc, display, unit, profile] of LABS) {
    if (!values[name]) continue;
    const number = Number(values[name].replace(',', '.'));
    add(name, { resourceType: 'Observation', meta: { profile: [SD + profile] }, status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: loinc, display }] }, subject, encounter: { reference: encounter },
      effectiveDateTime: when,
      valueQuantity: { value: Number.isFinite(number) ? number : undefined, unit, system: 'http://unitsofmeasure.org', code: unit },
    }, [name]);
  }
  if (values.malignancy) {
    add('malignancy', { resourceType: 'Condition', meta: { profile: [SD + 'new-malignancy'] },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      category: [{ coding: [{ system: CS + 'cart-event-type', code: 'new-malignancy' }] }],
      code: { text: values.malignancy }, subject, encounter: { reference: encounter },
      ...(values.malignancyDate ? { onsetDateTime: values.malignancyDate } : {}) }, ['malignancy', 'malignancyDate']);
  }
  if (values.infections) {
    add('infections', { resourceType: 'Condition', code: { text: 'Infection: ' + values.infections },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
      subject, encounter: { reference: encounter }, recordedDate: when }, ['infections']);
  }
  if (values.hospitalisations) {
    add('hospitalisations', { resourceType: 'Encounter', status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
      reasonCode: [{ text: values.hospitalisations }], subject }, ['hospitalisations']);
  }
  return entries;
}

