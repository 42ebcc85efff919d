// The web app with a long record: one patient with DAYS (default 730) days of daily CRS and ICANS assessments and
// daily CRP, pushed through the API as a hub clinician of a running hub (the demo: `java -jar … demo`); then the time
// of $toxicity-history and of the patient page over all days in Chromium. Needs `npm ci` in server/src/test/browser.
//   node bench/web/long-record.mjs [DAYS]      (BASE, HUB_USER, PASSWORD: demo defaults)
import { chromium } from '../../server/src/test/browser/node_modules/playwright-core/index.mjs';
import { readFileSync } from 'node:fs';
const BASE = process.env.BASE || 'http://127.0.0.1:8080';
const journey = JSON.parse(readFileSync(new URL('../../profiles/src/main/fhir/examples/Bundle-journey-example.json', import.meta.url)));
const T = { orgs: journey.entry.filter(e => e.resource.resourceType === 'Organization') };
for (const entry of journey.entry) {
  const profile = entry.resource.meta.profile[0].split('/').pop();
  T[profile] ??= entry;
}
const DAYS = Number(process.argv[2] || 730);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(BASE + '/app/');
await page.fill('input[name=username]', process.env.HUB_USER || 'clinician');
await page.fill('input[name=password]', process.env.PASSWORD || 'demo-password-not-for-real-use');
await page.click('button[type=submit]');
await page.waitForSelector('#patients');
const post = body => page.evaluate(async body => {
  const { token } = JSON.parse(sessionStorage.getItem('cart.token'));
  const r = await fetch('/fhir', { method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}, body);
const tag = Math.random().toString(36).substring(2, 8);
const clone = x => JSON.parse(JSON.stringify(x).replaceAll('SGH-2024-000731', 'SGH-LONG-' + tag).replaceAll('BM-23-558812', 'BM-L-' + tag)
  .replaceAll('KT24A0193', 'KTL-' + tag).replaceAll('COI-KTE-24-0042-SGH', 'COI-L-' + tag).replaceAll('C1234567', 'L' + tag).replaceAll('4821937705', '49' + Date.now() % 100000000));
const start = new Date(Date.now() - DAYS * 86400000);
const day = n => new Date(start.getTime() + n * 86400000).toISOString().substring(0, 10);
const base = clone([T['cart-patient'], T['research-consent'], T['cart-product'], T['cart-infusion'], ...T.orgs]);
base[1].resource.provision && delete base[1].resource.provision.period;
base[3].resource.performedDateTime = day(0) + 'T10:00:00+08:00';
base[0].resource.name = [{ text: 'Lê Văn Dài ' + tag, family: 'Lê', given: ['Văn', 'Dài'] }];
let r = await post({ resourceType: 'Bundle', type: 'transaction', entry: base });
if (r.status !== 200) { console.log(JSON.stringify(r.body).substring(0, 2000)); process.exit(1); }
const patient = r.body.entry[0].response.location.split('/')[1];
console.log('patient', patient);
const started = Date.now();
for (let from = 1; from <= DAYS; from += 50) {
  const entries = [];
  for (let d = from; d < Math.min(from + 50, DAYS + 1); d++) {
    const crs = clone(T['crs-assessment']); crs.fullUrl = 'urn:uuid:' + crypto.randomUUID();
    crs.resource.subject = { reference: 'Patient/' + patient }; crs.resource.effectiveDateTime = day(d) + 'T08:00:00+08:00';
    const ice = clone(T['ice-score']); ice.fullUrl = 'urn:uuid:' + crypto.randomUUID();
    ice.resource.subject = { reference: 'Patient/' + patient }; ice.resource.effectiveDateTime = day(d) + 'T09:00:00+08:00';
    const icans = clone(T['icans-assessment']); icans.fullUrl = 'urn:uuid:' + crypto.randomUUID();
    icans.resource.subject = { reference: 'Patient/' + patient }; icans.resource.effectiveDateTime = day(d) + 'T09:15:00+08:00';
    icans.resource.hasMember = [{ reference: ice.fullUrl }];
    const crp = clone(T['lab-crp']); crp.fullUrl = 'urn:uuid:' + crypto.randomUUID();
    crp.resource.subject = { reference: 'Patient/' + patient }; crp.resource.effectiveDateTime = day(d) + 'T06:00:00+08:00';
    entries.push(crs, ice, icans, crp);
  }
  r = await post({ resourceType: 'Bundle', type: 'transaction', entry: entries });
  if (r.status !== 200) { console.log(from, JSON.stringify(r.body).substring(0, 1500)); process.exit(1); }
}
console.log(`pushed ${DAYS * 4} resources in ${(Date.now() - started) / 1000} s`);
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const h = await page.evaluate(async id => { const { token } = JSON.parse(sessionStorage.getItem('cart.token'));
    const r = await fetch('/fhir/Patient/' + id + '/$toxicity-history', { headers: { Authorization: 'Bearer ' + token, Accept: 'application/fhir+json' } });
    return (await r.text()).length; }, patient);
  console.log(`$toxicity-history ${Date.now() - t0} ms, ${h} bytes`);
  const t1 = Date.now();
  await page.goto(`${BASE}/app/#/patient/${patient}/all`);
  await page.reload();
  await page.waitForSelector('#episodes');
  console.log(`patient page (all ${DAYS} days) ready in ${Date.now() - t1} ms; dots ${await page.$$eval('svg circle', c => c.length)}`);
}
await browser.close();
