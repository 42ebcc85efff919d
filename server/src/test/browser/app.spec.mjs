// Browser tests of the web app (/app) in the machine's Chromium, driven by playwright-core. Started by WebAppIT,
// which runs the hub and seeds it; everything asserted here is compared with what the FHIR API answers the same
// person, fetched with the page's own token. Screenshots go to SHOTS (docs/screenshots in the repository).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';

const env = process.env;
const BASE = env.BASE;
const SHOTS = env.SHOTS;
mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push(`FAIL ${name}: ${error.message}`);
    throw error;
  } finally {
    console.log(results[results.length - 1]);
  }
}

async function login(username) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', error => console.log(`[${username}] page error: ${error.message}`));
  await page.goto(BASE + '/app/');
  await page.waitForURL(/\/login/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', env.PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#patients, #patient-search');
  return page;
}

/** The FHIR API's answer to the logged-in person (the page's own token). */
const api = (page, path) => page.evaluate(async path => {
  const { token } = JSON.parse(sessionStorage.getItem('cart.token'));
  const response = await fetch('/fhir/' + path, { headers: { Authorization: 'Bearer ' + token, Accept: 'application/fhir+json' } });
  return { status: response.status, body: await response.json() };
}, path);
const parts = (p, name) => (p.parameter || p.part || []).filter(x => x.name === name);
const val = (p, name) => { const x = parts(p, name)[0]; if (!x) return undefined; const k = Object.keys(x).find(k => k.startsWith('value')); return x[k]; };
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

try {
  const clinician = await login(env.CLINICIAN);

  await step('hub clinician finds a patient by a Vietnamese name', async () => {
    await clinician.fill('#patient-search', env.VN_NAME);
    await clinician.press('#patient-search', 'Enter');
    await clinician.waitForSelector(`#patients tr[data-patient="${env.PATIENT}"]`);
    await shot(clinician, '1-patients');
  });

  await step('the timeline shows the episodes and highest grades $toxicity-history returns', async () => {
    await clinician.click(`#patients tr[data-patient="${env.PATIENT}"] a`);
    await clinician.waitForSelector('#episodes');
    const history = (await api(clinician, `Patient/${env.PATIENT}/$toxicity-history`)).body;
    const expected = parts(history, 'episode').map(e => `${val(e, 'toxicity')}:${val(e, 'highestGrade') ?? ''}`);
    const shown = await clinician.$$eval('#episodes tbody tr', rows => rows.map(r => `${r.dataset.toxicity}:${r.dataset.grade}`));
    assert.deepEqual(shown, expected);
    assert.ok(expected.length >= 2, 'the journey has a CRS and an ICANS episode');
    assert.equal(await clinician.textContent('#infusion-date'), val(history, 'infusionDate'));
    const plotted = await clinician.$$eval('svg.plot circle[data-grade]', dots => dots.length);
    assert.ok(plotted >= parts(history, 'day').length, `${plotted} daily grades plotted`);
    const recorder = await clinician.textContent('#visits tr[data-timepoint="D100"] td:last-child');
    assert.ok(recorder.trim(), 'a done visit names the site that recorded it');
    await shot(clinician, '2-patient');
  });

  await step('the overdue list matches $follow-up-status', async () => {
    await clinician.goto(`${BASE}/app/#/overdue/${env.AS_OF}`);
    await clinician.waitForSelector('#overdue');
    const status = (await api(clinician, `$follow-up-status?asOf=${env.AS_OF}`)).body;
    const expected = parts(status, 'site').flatMap(s => parts(s, 'visit'))
      .map(v => `${val(v, 'patient').reference}|${val(v, 'timepoint')}|${val(v, 'status')}`).sort();
    const shown = (await clinician.$$eval('#overdue tbody tr', rows =>
      rows.map(r => `${r.dataset.patient}|${r.dataset.timepoint}|${r.dataset.status}`))).sort();
    assert.deepEqual(shown, expected);
    assert.ok(expected.length > 0);
    await shot(clinician, '3-overdue');
  });

  await step('the lot trace matches $trace-product', async () => {
    await clinician.goto(`${BASE}/app/#/trace/lot/${encodeURIComponent(env.LOT)}`);
    await clinician.waitForSelector('#recipients');
    const trace = (await api(clinician, `$trace-product?lot=${encodeURIComponent(env.LOT)}`)).body;
    const expected = parts(trace, 'product').flatMap(p => parts(p, 'recipient')).map(r => val(r, 'patient').reference).sort();
    const shown = (await clinician.$$eval('#recipients tbody tr', rows => rows.map(r => r.dataset.patient))).sort();
    assert.deepEqual(shown, expected);
    assert.ok(shown.includes('Patient/' + env.PATIENT));
    await shot(clinician, '4-trace');
  });

  await step('the grading calculator shows the server grade and its flags', async () => {
    await clinician.goto(`${BASE}/app/#/calculator`);
    await clinician.fill('#temperature', '38.6');
    await clinician.selectOption('#vasopressor', ['vasopressin']);
    await clinician.click('#crs-form button[type=submit]');
    await clinician.waitForSelector('#crs-result .result');
    const graded = (await api(clinician, '$grade-crs?temperature=38.6&vasopressor=vasopressin')).body;
    const grade = val(graded, 'grade');
    assert.equal(await clinician.getAttribute('#crs-result [data-grade]', 'data-grade'), grade === undefined ? '' : String(grade));
    const flags = parts(graded, 'flag').map(f => val(f, 'code'));
    assert.deepEqual(await clinician.$$eval('#crs-result [data-flag]', items => items.map(i => i.dataset.flag)), flags);
    assert.ok(flags.length > 0, 'vasopressin alone is a decision for the clinician');
    await shot(clinician, '5-calculator');
  });

  await step('switching the language changes labels and coded values', async () => {
    await clinician.goto(`${BASE}/app/#/patient/${env.PATIENT}`);
    await clinician.waitForSelector('#status tbody tr');
    const english = await clinician.textContent('#status');
    await clinician.selectOption('#language', 'vi');
    await clinician.waitForFunction(() => document.querySelector('nav a[href="#/patients"]').textContent === 'Bệnh nhân');
    await clinician.waitForSelector('#status tbody tr');
    const lookup = (await api(clinician, 'CodeSystem/$lookup?system=https://cart-ltfu.org/fhir/CodeSystem/survival-status&code=alive&displayLanguage=vi')).body;
    const designation = parts(lookup, 'designation').find(d => val(d, 'language') === 'vi');
    const vi = designation ? val(designation, 'value') : val(lookup, 'display');
    await clinician.waitForFunction(text => document.querySelector('#status').textContent.includes(text), vi);
    assert.notEqual(await clinician.textContent('#status'), english);
    await shot(clinician, '6-language-vi');
    await clinician.selectOption('#language', 'en');
  });

  const coordinator = await login(env.COORDINATOR);

  await step('a spoke coordinator sees only her site\'s patients', async () => {
    await coordinator.goto(`${BASE}/app/#/patients`);
    await coordinator.waitForSelector('#patients');
    const shown = await coordinator.$$eval('#patients tbody tr', rows => rows.map(r => r.dataset.patient));
    assert.ok(shown.includes(env.PATIENT), 'her own patient is listed');
    assert.ok(!shown.includes(env.OTHER_PATIENT), 'another site\'s patient is not');
    const own = (await api(coordinator, 'Patient?_count=50&_sort=family')).body;
    assert.deepEqual(shown.sort(), (own.entry || []).map(e => e.resource.id).sort());
    await coordinator.fill('#patient-search', env.OTHER_NAME);
    await coordinator.press('#patient-search', 'Enter');
    await coordinator.waitForSelector('main p');
    assert.equal(await coordinator.$$eval('#patients tbody tr', rows => rows.length).catch(() => 0), 0);
  });

  await step('she cannot open another site\'s patient by URL', async () => {
    await coordinator.goto(`${BASE}/app/#/patient/${env.OTHER_PATIENT}`);
    await coordinator.waitForSelector('main p.error');
    const foreign = await coordinator.textContent('main');
    assert.ok(!(await coordinator.content()).includes(env.OTHER_NAME));
    await coordinator.goto(`${BASE}/app/#/patient/${crypto.randomUUID()}`);
    await coordinator.waitForSelector('main p.error');
    assert.equal(foreign, await coordinator.textContent('main'), 'another site\'s patient reads like one nobody has');
    assert.ok(['Not found.', 'Không tìm thấy.'].includes(foreign.trim()), foreign);
  });

  await step('she submits a D100 form, sees the server\'s error at the field, fixes it and it is stored', async () => {
    await coordinator.goto(`${BASE}/app/#/form/${env.FORM_PATIENT}`);
    await coordinator.waitForSelector('#visit-form');
    await coordinator.selectOption('#f-timepoint', 'D100');
    await coordinator.fill('#f-date', env.BAD_DATE);
    await coordinator.selectOption('#f-survival', 'alive');
    await coordinator.fill('#f-platelets', '142');
    await coordinator.click('#submit');
    await coordinator.waitForSelector('#f-date[aria-invalid="true"]');
    const error = await coordinator.textContent('#f-date-error');
    assert.ok(error.length > 0, 'the error is shown at the visit date');
    await shot(coordinator, '7-form-error');
    await coordinator.reload();
    await coordinator.waitForSelector('#visit-form');
    assert.equal(await coordinator.inputValue('#f-platelets'), '142', 'what was typed survives a reload');
    await coordinator.fill('#f-date', env.VISIT_DATE);
    await coordinator.dblclick('#submit'); // sent twice: the second must store nothing new
    await coordinator.waitForSelector('#form-sent');
    await shot(coordinator, '8-form-sent');
    await coordinator.waitForTimeout(1500);
    const visits = (await api(coordinator, `Encounter?subject=Patient/${env.FORM_PATIENT}&_summary=count`
      + '&type=https://cart-ltfu.org/fhir/CodeSystem/ltfu-timepoint|D100')).body;
    assert.equal(visits.total, 1, 'one D100 visit, however often it was sent');
  });

  await step('she downloads the M6 template, uploads it filled in, sees a wrong cell by line and column, fixes it', async () => {
    await coordinator.goto(`${BASE}/app/#/upload`);
    await coordinator.waitForSelector('#upload-form');
    const [file] = await Promise.all([coordinator.waitForEvent('download'), coordinator.click('#template-M6')]);
    const template = readFileSync(await file.path(), 'utf8');
    assert.ok(template.startsWith('\uFEFFhub_mrn,spoke_mrn,timepoint,visit_date,'), template.slice(0, 80));
    assert.ok(!template.split('\r\n')[0].includes('crp'), 'CRP is not on the M6 template');
    const header = template.split('\r\n')[0].replace('\uFEFF', '').split(',');
    const line = cells => header.map(column => cells[column] ?? '').join(',');
    const filled = cells => template + line(cells) + '\r\n';
    const visit = { spoke_mrn: env.FORM_SPOKE_MRN, timepoint: 'M6', visit_date: env.VISIT_DATE, survival: 'alive' };
    await coordinator.setInputFiles('#upload-file', { name: 'visits.csv', mimeType: 'text/csv',
      buffer: Buffer.from(filled({ ...visit, platelets: '150 mgL' })) });
    await coordinator.click('#upload-send');
    await coordinator.waitForSelector('#upload-refused');
    const problems = await coordinator.textContent('#upload-outcome');
    assert.ok(problems.includes('Line 4, column platelets'), problems);
    await shot(coordinator, '10-upload-refused');
    await coordinator.setInputFiles('#upload-file', { name: 'visits.csv', mimeType: 'text/csv',
      buffer: Buffer.from(filled({ ...visit, platelets: '150' })) });
    await coordinator.click('#upload-send');
    await coordinator.waitForSelector('#upload-stored');
    await shot(coordinator, '11-upload-stored');
    const visits = (await api(coordinator, `Encounter?subject=Patient/${env.FORM_PATIENT}&_summary=count`
      + '&type=https://cart-ltfu.org/fhir/CodeSystem/ltfu-timepoint|M6')).body;
    assert.equal(visits.total, 1, 'the uploaded M6 visit is stored');
  });

  await step('the hub clinician sees the new visit as done', async () => {
    await clinician.goto(`${BASE}/app/#/patient/${env.FORM_PATIENT}`);
    await clinician.waitForSelector('#visits tr[data-timepoint="D100"]');
    assert.equal(await clinician.getAttribute('#visits tr[data-timepoint="D100"]', 'data-status'), 'done');
    assert.ok((await clinician.textContent('#visits tr[data-timepoint="D100"] td:last-child')).trim(),
      'and names the site that recorded it');
  });
} finally {
  await browser.close();
  console.log('\n' + results.join('\n'));
}
