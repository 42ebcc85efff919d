// Every read and write goes through /fhir with the person's token: the hub's access policy decides what comes back.
import { session } from './auth.js';

export class FhirError extends Error {
  constructor(status, outcome) {
    super((outcome?.issue || []).map(issue => issue.diagnostics).filter(Boolean).join('; ') || 'HTTP ' + status);
    this.status = status;
    this.outcome = outcome;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(callback) { onUnauthorized = callback; }

/** @param body a resource (sent as FHIR JSON); or raw: a Blob/string sent with its own Content-Type in headers */
export async function fhir(path, { method = 'GET', body, raw, headers = {} } = {}) {
  const current = session();
  if (!current) {
    onUnauthorized();
    throw new FhirError(401);
  }
  const response = await fetch('/fhir/' + path.replace(/^\//, ''), {
    method,
    headers: { Accept: 'application/fhir+json', Authorization: 'Bearer ' + current.token,
      ...(body ? { 'Content-Type': 'application/fhir+json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : raw,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    onUnauthorized();
  }
  if (!response.ok) {
    throw new FhirError(response.status, json);
  }
  return json;
}

/** Every resource of a search, following the next links (bounded: a page is a screen, not an export). */
export async function search(path, maxPages = 20) {
  const resources = [];
  let bundle = await fhir(path);
  for (let page = 0; bundle && page < maxPages; page++) {
    (bundle.entry || []).filter(entry => entry.search?.mode !== 'include' && entry.resource)
      .forEach(entry => resources.push(entry.resource));
    const next = (bundle.link || []).find(link => link.relation === 'next');
    // HAPI's page links are absolute (…/fhir?_getpages=…): keep what follows the FHIR base.
    const url = next && new URL(next.url);
    bundle = next ? await fhir(url.pathname.replace(/^.*?\/fhir\/?/, '') + url.search) : null;
  }
  return resources;
}

/** Resources by id, 50 ids per request (a URL must stay well under the server's header limit). */
export async function byIds(type, ids) {
  const unique = [...new Set(ids)];
  const chunks = [];
  for (let i = 0; i < unique.length; i += 50) {
    chunks.push(search(`${type}?_id=${unique.slice(i, i + 50).join(',')}&_count=50`, 1));
  }
  return (await Promise.all(chunks)).flat();
}

// Parameters helpers: operation outputs are Parameters with nested parts.
export const params = (parameters, name) => (parameters?.parameter || parameters?.part || []).filter(p => p.name === name);
export const param = (parameters, name) => params(parameters, name)[0];
export function value(part) {
  if (!part) return undefined;
  const key = Object.keys(part).find(k => k.startsWith('value'));
  return key ? part[key] : part.resource;
}
export const valueOf = (parameters, name) => value(param(parameters, name));

export const HUB_MRN = 'https://cart-ltfu.org/fhir/sid/hub-mrn';
export const SITE = 'https://cart-ltfu.org/fhir/sid/site';

export function patientName(patient) {
  const names = (patient?.name || []).map(name => name.text
    || [name.family, ...(name.given || [])].filter(Boolean).join(' '));
  return [...new Set(names)].join(' · ') || patient?.id || '';
}

export function today() {
  return new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD in the browser's zone
}
