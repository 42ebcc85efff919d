import { fhir, params, value, valueOf } from '../fhir.js';
import { t } from '../i18n.js';
import { h } from './html.js';

// The codes $grade-crs and $grade-icans take; the server grades, this page only asks and shows everything it says.
const VASOPRESSORS = ['norepinephrine', 'epinephrine', 'phenylephrine', 'dopamine', 'vasopressin', 'other'];
const OXYGEN = ['room-air', 'low-flow-nasal-cannula', 'blow-by', 'high-flow-nasal-cannula', 'facemask', 'non-rebreather',
  'venturi-mask', 'cpap', 'bipap', 'mechanical-ventilation', 'unknown-or-other'];
const CONSCIOUSNESS = ['awake', 'awakens-spontaneously', 'awakens-to-voice', 'awakens-to-touch', 'unarousable'];
const SEIZURE = ['none', 'resolved-rapidly', 'prolonged-or-repetitive'];
const MOTOR = ['none', 'deep-focal-weakness'];
const ICP = ['none', 'focal-edema', 'diffuse-edema'];

const field = (label, input) => [h('label', { for: input.id }, label), input];
const select = (id, codes) => h('select', { id, name: id }, h('option', { value: '' }, '—'),
  codes.map(code => h('option', { value: code }, code)));
const number = (id, attributes = {}) => h('input', { id, name: id, type: 'number', step: 'any', ...attributes });
const check = id => h('input', { id, name: id, type: 'checkbox', value: 'true' });

export async function render(view) {
  const crs = h('form', { class: 'grid', id: 'crs-form' },
    ...field('Temperature (°C)', number('temperature', { min: 30, max: 45 })),
    ...field('Fever attributable to another cause', check('feverAttributableToOtherCause')),
    ...field('Antipyretic / anti-cytokine therapy given', check('feverMaskingTherapyGiven')),
    ...field('Vasopressors', h('select', { id: 'vasopressor', name: 'vasopressor', multiple: true, size: 4 },
      VASOPRESSORS.map(code => h('option', { value: code }, code)))),
    ...field('Hypotension on fluids only', check('hypotensionFluidsOnly')),
    ...field('Oxygen device', select('oxygenDevice', OXYGEN)),
    ...field('Oxygen flow (L/min)', number('oxygenFlow', { min: 0, max: 100 })),
    ...field('Died of CRS', check('diedOfCrs')),
    h('button', { type: 'submit' }, t('calc.grade') + ' CRS'));
  const icans = h('form', { class: 'grid', id: 'icans-form' },
    ...field('Age (years)', number('ageYears', { min: 0, max: 120, step: 1 })),
    ...field('Developmental delay', check('developmentalDelay')),
    ...field('ICE score (0–10)', number('iceScore', { min: 0, max: 10, step: 1 })),
    ...field('CAPD score (children ≤ 12)', number('capdScore', { min: 0, max: 32, step: 1 })),
    ...field('Unable to perform the screen', check('unableToPerformScreen')),
    ...field('Depressed level of consciousness', select('consciousness', CONSCIOUSNESS)),
    ...field('Seizure', select('seizure', SEIZURE)),
    ...field('Motor findings', select('motor', MOTOR)),
    ...field('Raised intracranial pressure / cerebral oedema', select('raisedIcp', ICP)),
    ...field('Died of ICANS', check('diedOfIcans')),
    h('button', { type: 'submit' }, t('calc.grade') + ' ICANS'));
  const crsResult = h('div', { id: 'crs-result', 'aria-live': 'polite' });
  const icansResult = h('div', { id: 'icans-result', 'aria-live': 'polite' });
  crs.onsubmit = event => grade(event, crs, '$grade-crs', crsResult);
  icans.onsubmit = event => grade(event, icans, '$grade-icans', icansResult);
  view.replaceChildren(h('h1', {}, t('calc.title')), h('h2', {}, t('calc.crs')), crs, crsResult,
    h('h2', {}, t('calc.icans')), icans, icansResult);
}

async function grade(event, form, operation, target) {
  event.preventDefault();
  const query = new URLSearchParams();
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === 'checkbox') {
      if (element.checked) query.append(element.name, 'true');
    } else if (element.multiple) {
      [...element.selectedOptions].forEach(option => query.append(element.name, option.value));
    } else if (element.value !== '') {
      query.append(element.name, element.value);
    }
  }
  try {
    const result = await fhir(operation + '?' + query);
    const grade = valueOf(result, 'grade');
    target.replaceChildren(h('div', { class: 'result' },
      h('div', {}, t('calc.grade') + ': ', h('span', { class: 'grade-big', 'data-grade': grade ?? '' }, grade ?? '?')),
      h('div', {}, t('calc.range') + ': ', `${valueOf(result, 'lowestPossibleGrade')} – ${valueOf(result, 'highestPossibleGrade')}`),
      h('div', {}, t('calc.drivers') + ':'), h('ul', {}, params(result, 'driver').map(driver =>
        h('li', {}, `${valueOf(driver, 'domain')}: ${valueOf(driver, 'reason')}`))),
      params(result, 'flag').length ? [h('div', { class: 'mismatch' }, t('calc.flags') + ':'),
        h('ul', {}, params(result, 'flag').map(flag => h('li', { 'data-flag': valueOf(flag, 'code') },
          valueOf(flag, 'description'))))] : '',
      params(result, 'note').map(note => h('p', { class: 'muted' }, value(note)))));
  } catch (error) {
    target.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
  }
}
