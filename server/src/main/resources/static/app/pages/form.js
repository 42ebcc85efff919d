import { fhir, patientName } from '../fhir.js';
import { display, t } from '../i18n.js';
import { h } from './html.js';

// A spoke's follow-up visit, sent the way a spreadsheet is: one line of the visit report to $report-visits, which
// turns it into the profiled FHIR transaction (the same code path as a CSV upload, so the form and the file follow
// one set of rules). Keyed on patient and time point by the hub, so sending it again stores nothing twice. What was
// typed stays in this browser (localStorage) until the hub has stored it.
const CS = 'https://cart-ltfu.org/fhir/CodeSystem/';
const TIMEPOINTS = ['D100', 'M6', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Y8', 'Y9', 'Y10', 'Y11', 'Y12', 'Y13', 'Y14', 'Y15'];
const RESPONSES = ['complete-response', 'very-good-partial-response', 'partial-response', 'stable-disease',
  'progressive-disease', 'relapse', 'not-evaluable'];
const LABS = [['crp', 'C reactive protein', 'mg/L'], ['ferritin', 'Ferritin', 'ug/L'],
  ['anc', 'Neutrophils', '10*9/L'], ['platelets', 'Platelets', '10*9/L'], ['igg', 'IgG', 'g/L']];
/** Form field → visit report column, where the names differ. */
const COLUMNS = { date: 'visit_date', responseMethod: 'response_method', persistenceMethod: 'persistence_method',
  malignancy: 'new_malignancy', malignancyDate: 'new_malignancy_date' };

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
    ...LABS.flatMap(([name, display, unit]) => row(`${display} (${unit})`, input(name, { inputmode: 'decimal' }))),
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
    try {
      await fhir('$report-visits', { method: 'POST', raw: csvLine(patient, draft.values),
        headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
      localStorage.removeItem(draftKey);
      outcome.replaceChildren(h('p', { class: 'status-done', id: 'form-sent' }, t('form.sent'), ' ',
        h('a', { href: '#/patient/' + patient.id }, patientName(patient))));
    } catch (error) {
      outcome.replaceChildren(h('p', { class: 'error' }, t('form.failed'), ' ', error.message));
      // The hub names the line and column(s) of each problem ("Line 2, column visit_date"): put it at the field.
      for (const issue of error.outcome?.issue || []) {
        const columns = /column (.*)$/.exec((issue.location || [])[0] || '')?.[1].split(', ') || [];
        const message = (issue.diagnostics || '').replace(/^Line \d+(, column [^:]*)?: /, '');
        columns.map(column => fieldOf(column)).filter(name => form.querySelector('#f-' + name))
          .forEach(name => mark(form, name, message));
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

const fieldOf = column => Object.keys(COLUMNS).find(name => COLUMNS[name] === column) || column;

/** The visit as the visit report's header and one line (RFC 4180: every cell quoted, quotes doubled). */
function csvLine(patient, values) {
  const cells = { patient: 'Patient/' + patient.id };
  for (const [name, value] of Object.entries(values)) {
    if (value) cells[COLUMNS[name] || name] = value;
  }
  const quote = text => '"' + String(text).replace(/"/g, '""') + '"';
  return Object.keys(cells).map(quote).join(',') + '\r\n' + Object.values(cells).map(quote).join(',') + '\r\n';
}
