import { fhir, HUB_MRN, param, params, patientName, search, today, value, valueOf } from '../fhir.js';
import { display, t } from '../i18n.js';
import { bars, gradeSteps, labLine, scale } from '../plot.js';
import { h, table } from './html.js';

const CS = 'https://cart-ltfu.org/fhir/CodeSystem/';
const LABS = [['1988-5', 'CRP'], ['2276-4', 'Ferritin'], ['751-8', 'ANC'], ['777-3', 'Platelets'], ['2465-3', 'IgG']];
const STATUS_COLOURS = { done: '#1e6b35', due: '#0b5cad', overdue: '#b3261e', upcoming: '#b8c0cc' };

export async function render(view, [id, span = '100'], context) {
  const [patient, history, plan, status, malignancies] = await Promise.all([
    fhir('Patient/' + encodeURIComponent(id)),
    fhir('Patient/' + encodeURIComponent(id) + '/$toxicity-history'),
    fhir('$follow-up-status?patient=Patient/' + encodeURIComponent(id) + '&asOf=' + today()),
    search(`Observation?subject=Patient/${encodeURIComponent(id)}&code=${['survival-status', 'disease-response',
      'best-response', 'cart-persistence'].map(code => CS + 'cart-observation|' + code).join(',')}&_sort=-date&_count=50`, 2),
    search(`Condition?subject=Patient/${encodeURIComponent(id)}&_profile=https://cart-ltfu.org/fhir/StructureDefinition/new-malignancy`, 2),
  ]);
  const mrn = (patient.identifier || []).find(identifier => identifier.system === HUB_MRN)?.value;
  view.replaceChildren(
    h('h1', {}, patientName(patient), ' ', h('span', { class: 'muted' }, mrn || '')),
    h('p', { class: 'muted' }, (patient.identifier || []).map(identifier => identifier.value).join(' · '),
      patient.birthDate ? ' · ' + t('col.birthDate') + ' ' + patient.birthDate : ''),
    h('p', { class: 'no-print' }, h('a', { href: `#/form/${id}`, id: 'report-visit' }, t('patient.report'))));

  const [recorded, carePlans] = await Promise.all([recordingSites(id),
    search(`CarePlan?subject=Patient/${encodeURIComponent(id)}&identifier=${CS.replace('CodeSystem/', 'sid/')}ltfu-plan|`, 1)
      .catch(() => [])]);
  const site = reference => recorded.get(reference) || '';
  const infusionDate = valueOf(history, 'infusionDate');
  if (!infusionDate) {
    view.append(h('p', {}, t('noInfusion')));
    return;
  }
  const episodes = params(history, 'episode');
  const days = params(history, 'day');
  const labs = params(history, 'lab');
  const visits = params(plan, 'site').flatMap(site => params(site, 'visit'));
  const todayDay = Math.round((Date.parse(today()) - Date.parse(infusionDate)) / 86400000);
  const x = scale(-1, span === 'all' ? Math.max(todayDay, 30) : Number(span));

  view.append(h('p', {}, t('patient.infusion') + ': ', h('strong', { id: 'infusion-date' }, infusionDate)));
  const spans = h('p', { class: 'no-print' }, ['30', '100', '365', 'all'].map(choice =>
    h('a', { href: `#/patient/${id}/${choice}`, 'aria-current': choice === span ? 'page' : null,
      style: 'margin-right:.8rem' }, choice === 'all' ? '0 – ' + todayDay : '0 – ' + choice)));
  view.append(h('h2', {}, t('patient.timeline')), spans);

  for (const [toxicity, maxGrade, colour] of [['crs', 4, '#b3261e'], ['icans', 4, '#6a3d9a']]) {
    const points = days.filter(day => valueOf(day, 'toxicity') === toxicity).map(day => {
      const assessed = valueOf(day, 'assessedGrade');
      const stated = valueOf(day, 'statedGrade');
      const [low, high] = assessed.split('-').map(Number);
      const shown = stated ?? (high ?? low);
      const mismatch = stated !== undefined && (stated < low || stated > (high ?? low));
      return { day: valueOf(day, 'studyDay'), grade: shown, mismatch,
        label: `${valueOf(day, 'date')} (${t('col.day')} ${valueOf(day, 'studyDay')}): ${toxicity.toUpperCase()} `
          + `${stated ?? assessed} · ${t('col.assessedGrade')} ${assessed}${mismatch ? ' — ' + t('mismatch') : ''}`
          + ` · ${t('col.recordedBy')}: ${site(valueOf(day, 'assessment').reference)}` };
    });
    view.append(gradeSteps(toxicity.toUpperCase(), points, maxGrade, x, colour));
  }
  const episodeBars = episodes.map(episode => ({
    row: valueOf(episode, 'toxicity').toUpperCase(), start: valueOf(episode, 'onsetDay') ?? 0,
    end: valueOf(episode, 'resolutionDay') ?? todayDay, color: valueOf(episode, 'toxicity') === 'crs' ? '#e8a09a' : '#b9a3d4',
    label: `${valueOf(episode, 'toxicity').toUpperCase()} ${t('col.statedGrade')} ${valueOf(episode, 'highestGrade') ?? '?'}`,
  }));
  const therapyBars = episodes.flatMap(episode => params(episode, 'treatment').map(treatment => ({
    row: value(treatment), start: valueOf(episode, 'onsetDay') ?? 0, end: valueOf(episode, 'resolutionDay') ?? todayDay,
    color: '#7a8aa6', label: `${value(treatment)} (${valueOf(episode, 'toxicity').toUpperCase()})`,
  })));
  view.append(bars(t('patient.episodes') + ' / ' + t('col.treatment'), [...episodeBars, ...therapyBars], x));

  const ranges = await referenceRanges(labs);
  for (const [loinc, name] of LABS) {
    const results = labs.filter(lab => valueOf(lab, 'loinc') === loinc && valueOf(lab, 'value'));
    if (!results.length) continue;
    const unit = valueOf(results[0], 'value').unit || '';
    view.append(labLine(`${name} (${unit})`, results.map(lab => ({ day: valueOf(lab, 'studyDay'),
      value: valueOf(lab, 'value').value, label: `${valueOf(lab, 'date')}: ${valueOf(lab, 'value').value} ${unit}`
        + ` · ${t('col.recordedBy')}: ${site(valueOf(lab, 'observation').reference)}` })),
    ranges.get(loinc), x));
  }
  view.append(bars(t('patient.visits'), visits.map(visit => ({
    row: t('patient.visits'), start: dayOf(valueOf(visit, 'windowStart'), infusionDate),
    end: dayOf(valueOf(visit, 'windowEnd'), infusionDate), color: STATUS_COLOURS[valueOf(visit, 'status')],
    className: 'status-' + valueOf(visit, 'status'),
    label: `${valueOf(visit, 'timepoint')}: ${t('status.' + valueOf(visit, 'status'))}`,
  })), x));

  const recorders = await organizationNames(episodes.map(episode => valueOf(episode, 'sourceSite')));
  view.append(h('h2', {}, t('patient.episodes')), table(
    [t('col.toxicity'), t('col.onset'), t('col.resolution'), t('col.statedGrade'), t('col.assessedGrade'),
      t('col.treatment'), t('col.recordedBy')],
    episodes.map(episode => {
      const stated = valueOf(episode, 'highestGrade');
      const assessed = valueOf(episode, 'assessedHighestGrade');
      const [low, high] = (assessed || '').split('-').map(Number);
      const mismatch = stated !== undefined && assessed !== undefined && (stated < low || stated > (high ?? low));
      return {
        attributes: { 'data-toxicity': valueOf(episode, 'toxicity'), 'data-grade': stated ?? '' },
        cells: [valueOf(episode, 'toxicity').toUpperCase(), dated(episode, 'onset'), dated(episode, 'resolution'),
          h('span', { class: mismatch ? 'mismatch' : '', title: mismatch ? t('mismatch') : null },
            stated ?? t('none'), mismatch ? ' ⚠' : ''),
          [assessed ?? t('none'), ...params(episode, 'drivingDomain').map(d => h('div', { class: 'muted' }, value(d)))],
          params(episode, 'treatment').map(treatment => h('div', {}, value(treatment))),
          recorders.get(valueOf(episode, 'sourceSite')) || valueOf(episode, 'sourceSite') || ''],
      };
    }), { id: 'episodes' }));

  const completedBy = new Map();
  for (const activity of carePlans[0]?.activity || []) {
    const code = activity.detail?.code?.coding?.[0]?.code;
    const outcome = (activity.outcomeReference || []).map(ref => site(ref.reference)).find(Boolean);
    if (code && outcome) completedBy.set(code, outcome);
  }
  view.append(h('h2', {}, t('patient.visits')), table(
    [t('col.visit'), t('col.window'), t('col.status'), t('col.daysOverdue'), t('col.recordedBy')],
    visits.map(visit => ({
      attributes: { 'data-timepoint': valueOf(visit, 'timepoint'), 'data-status': valueOf(visit, 'status') },
      cells: [valueOf(visit, 'timepoint'), valueOf(visit, 'windowStart') + ' – ' + valueOf(visit, 'windowEnd'),
        h('span', { class: 'status-' + valueOf(visit, 'status') }, t('status.' + valueOf(visit, 'status'))),
        valueOf(visit, 'daysOverdue') ?? '', completedBy.get(valueOf(visit, 'timepoint')) || ''],
    })), { id: 'visits' }));

  const tasks = await search(`Task?patient=Patient/${encodeURIComponent(id)}&_count=50`, 1).catch(() => []);
  view.append(h('h2', {}, t('patient.status')), table([t('col.date'), t('col.what'), t('col.value'), t('col.recordedBy')],
    await Promise.all(status.map(async observation => {
      const coding = observation.code.coding.find(c => c.system === CS + 'cart-observation');
      const result = observation.valueCodeableConcept?.coding?.[0];
      return { cells: [observation.effectiveDateTime?.substring(0, 10) || '',
        await display(coding?.system, coding?.code),
        [result ? await display(result.system, result.code) : (observation.valueCodeableConcept?.text || ''),
          observation.method ? h('div', { class: 'muted' }, observation.method.text
            || observation.method.coding?.[0]?.display || '') : ''],
        site('Observation/' + observation.id)] };
    })), { id: 'status' }));

  view.append(h('h2', {}, t('patient.malignancies')), malignancies.length || tasks.length
    ? table([t('col.onset'), t('col.what'), t('col.status'), t('col.recordedBy')], [
      ...malignancies.map(condition => ({ cells: [condition.onsetDateTime || '', condition.code?.text
        || condition.code?.coding?.[0]?.display || '', condition.clinicalStatus?.coding?.[0]?.code || '',
      site('Condition/' + condition.id)] })),
      ...await Promise.all(tasks.map(async task => {
        const coding = task.code?.coding?.[0];
        return { attributes: { 'data-task': task.id }, cells: [task.authoredOn?.substring(0, 10) || '',
          coding ? await display(coding.system, coding.code) : task.description || '', task.status,
          site('Task/' + task.id) || t('hub.automatic')] };
      }))], { id: 'malignancies' })
    : h('p', {}, t('none')));
}

/**
 * Which site recorded each of the patient's resources: the agent of the hub's Provenance of the write that stored it
 * (one Provenance per write, so a few searches cover years of data).
 */
async function recordingSites(patient) {
  const subject = 'Patient/' + encodeURIComponent(patient);
  const provenances = (await Promise.all(['Observation', 'Condition', 'Encounter', 'AdverseEvent', 'Procedure'].map(type =>
    search(`Provenance?target:${type}.subject=${subject}&_count=200`, 20).catch(() => [])))).flat();
  const names = await organizationNames(provenances.map(p => p.agent?.[0]?.who?.reference));
  const sites = new Map();
  for (const provenance of provenances) {
    const who = provenance.agent?.[0]?.who;
    const label = names.get(who?.reference) || who?.display || who?.identifier?.value || '';
    (provenance.target || []).forEach(target => sites.set(target.reference.replace(/\/_history\/.*/, ''), label));
  }
  return sites;
}

function dated(part, prefix) {
  const date = valueOf(part, prefix + 'Date');
  return date ? `${date} (${t('col.day')} ${valueOf(part, prefix + 'Day')})` : t('none');
}

function dayOf(date, infusionDate) {
  return Math.round((Date.parse(date) - Date.parse(infusionDate.substring(0, 10))) / 86400000);
}

/** Site names for recording sites given as Organization references. */
async function organizationNames(sites) {
  const ids = [...new Set(sites.filter(site => site?.startsWith('Organization/')).map(site => site.substring(13)))];
  const names = new Map();
  if (ids.length) {
    (await search('Organization?_id=' + ids.join(','), 1).catch(() => []))
      .forEach(org => names.set('Organization/' + org.id, org.name));
  }
  return names;
}

/** The reference range of each lab, from its latest result that has one. */
async function referenceRanges(labs) {
  const latest = new Map();
  labs.forEach(lab => latest.set(valueOf(lab, 'loinc'), valueOf(lab, 'observation').reference.replace('Observation/', '')));
  const ranges = new Map();
  if (!latest.size) return ranges;
  const observations = await search('Observation?_id=' + [...latest.values()].join(','), 1).catch(() => []);
  for (const observation of observations) {
    const range = observation.referenceRange?.[0];
    const loinc = observation.code.coding.find(coding => coding.system === 'http://loinc.org')?.code;
    if (range && loinc) ranges.set(loinc, { low: range.low?.value, high: range.high?.value });
  }
  return ranges;
}
