// Login as a SMART app of the hub: authorization code + PKCE (S256) through /auth/authorize, the person logs in on
// the hub's login page, the code is exchanged at the token endpoint. The token stays in this tab (sessionStorage).
const KEY = 'cart.token';
const PENDING = 'cart.login';

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random() {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

const redirectUri = () => location.origin + location.pathname;

export async function login(config, returnTo) {
  const verifier = random();
  const state = random();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: config.scope, state,
    code_challenge: challenge, code_challenge_method: 'S256', aud: location.origin + '/fhir',
  });
  location.assign('/auth/authorize?' + query);
}

/** After the redirect back: exchanges the code; returns the hash to go on with, or throws with the server's reason. */
export async function completeLogin(config) {
  const query = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + (pending?.returnTo || '#/patients'));
  if (query.get('error')) {
    throw new Error(query.get('error') + ': ' + (query.get('error_description') || ''));
  }
  if (!pending || query.get('state') !== pending.state) {
    throw new Error('This login was not started here (state mismatch); log in again.');
  }
  const response = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
      code_verifier: pending.verifier, client_id: config.clientId,
    }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error + ': ' + (body.error_description || ''));
  }
  const claims = JSON.parse(atob(body.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  sessionStorage.setItem(KEY, JSON.stringify({ token: body.access_token, claims,
    expires: Date.now() + body.expires_in * 1000 }));
}

/** The current login, or null when there is none or it has expired. */
export function session() {
  const stored = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  return stored && stored.expires > Date.now() + 5000 ? stored : null;
}

export function logout() {
  sessionStorage.removeItem(KEY);
  // Unsent drafts hold patient data: they do not outlast the person's session on a shared workstation.
  Object.keys(localStorage).filter(key => key.startsWith('cart.draft.')).forEach(key => localStorage.removeItem(key));
  location.assign('/logout');
}
