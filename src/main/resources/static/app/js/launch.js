// Connects a page to the FHIR server: development mode (no issuer: ?patient=<id>), or SMART App Launch 2.0,
// EHR launch (launch, iss) or standalone launch, both with PKCE (S256), against /fhir/.well-known/smart-configuration.
import { FhirClient } from './fhir.js';

const TOKEN_KEY = 'alliance-app-token';
const STATE_PREFIX = 'alliance-app-state-';
export const APP_PATH = '/app/';

/** Scopes the app asks for: read the patient's record, post responses, update alerts (Task) and Flags. */
export const SCOPES = [
  'launch/patient', 'openid', 'fhirUser', 'patient/*.rs',
  'patient/QuestionnaireResponse.c', 'patient/Task.u', 'patient/Flag.u',
];

export function fhirBaseUrl() {
  return `${location.origin}/fhir`;
}

/**
 * Resolves to {client, patientId, mode, user} once the page may read the patient, or to null while the browser is
 * sent to the authorization server. Throws an Error with a readable message when no patient can be shown.
 */
export async function connect() {
  const params = new URLSearchParams(location.search);
  const base = fhirBaseUrl();
  const settings = await (await fetch(`${APP_PATH}launch-settings.json`)).json();
  if (!settings.smart) {
    const patientId = params.get('patient');
    if (!patientId) throw new LaunchError('noPatient');
    return { client: new FhirClient(base), patientId, mode: 'development', user: params.get('author') };
  }
  const smart = await discovery(base);
  if (params.has('code') || params.has('error')) {
    await finishAuthorization(smart, params);
    return null;
  }
  const token = storedToken();
  if (token && !params.has('launch')) {
    if (params.get('patient') && params.get('patient') !== token.patient) throw new LaunchError('otherPatient');
    return { client: new FhirClient(base, token.accessToken), patientId: token.patient, mode: 'smart',
      user: token.fhirUser };
  }
  await authorize(smart, settings.clientId, base, params);
  return null;
}

export class LaunchError extends Error {
  constructor(key, detail = '') {
    super(detail || key);
    this.key = key;
    this.detail = detail;
  }
}

async function discovery(base) {
  const response = await fetch(`${base}/.well-known/smart-configuration`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new LaunchError('discovery', `HTTP ${response.status}`);
  return response.json();
}

async function authorize(smart, clientId, base, params) {
  const launch = params.get('launch');
  const iss = params.get('iss');
  if (launch && iss && iss.replace(/\/$/, '') !== base) throw new LaunchError('foreignIssuer', iss);
  if (!smart.authorization_endpoint) throw new LaunchError('discovery', 'authorization_endpoint');
  const verifier = randomString(64);
  const state = randomString(32);
  const returnTo = returnPath(params);
  sessionStorage.setItem(STATE_PREFIX + state, JSON.stringify({ verifier, returnTo, clientId }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri(),
    scope: (launch ? ['launch', ...SCOPES] : SCOPES).join(' '),
    state,
    aud: base,
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
  });
  if (launch) query.set('launch', launch);
  location.assign(`${smart.authorization_endpoint}?${query}`);
}

async function finishAuthorization(smart, params) {
  const state = params.get('state') || '';
  const stored = JSON.parse(sessionStorage.getItem(STATE_PREFIX + state) || 'null');
  sessionStorage.removeItem(STATE_PREFIX + state);
  history.replaceState(null, '', APP_PATH);
  if (!stored) throw new LaunchError('badState');
  if (params.has('error')) throw new LaunchError('denied', params.get('error_description') || params.get('error'));
  const response = await fetch(smart.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: stored.clientId, code_verifier: stored.verifier,
    }),
  });
  const token = await response.json().catch(() => ({}));
  if (!response.ok || !token.access_token) throw new LaunchError('token', token.error_description || token.error || '');
  if (!token.patient) throw new LaunchError('noPatientContext');
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify({
    accessToken: token.access_token, patient: token.patient, fhirUser: fhirUser(token.id_token),
    expiresAt: Date.now() + 1000 * (token.expires_in || 300),
  }));
  location.replace(stored.returnTo);
}

function storedToken() {
  const token = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
  if (token && token.expiresAt > Date.now() + 10_000) return token;
  sessionStorage.removeItem(TOKEN_KEY);
  return null;
}

/** Where to go after authorization: this page with its own parameters, minus the launch parameters. */
function returnPath(params) {
  const kept = new URLSearchParams(params);
  ['launch', 'iss', 'code', 'state'].forEach((name) => kept.delete(name));
  const query = kept.toString();
  return location.pathname + (query ? `?${query}` : '');
}

function redirectUri() {
  return `${location.origin}${APP_PATH}`;
}

function fhirUser(idToken) {
  if (!idToken) return null;
  try {
    const payload = JSON.parse(atob(idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.fhirUser || null;
  } catch {
    return null;
  }
}

function randomString(length) {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return base64Url(bytes).slice(0, length);
}

async function challenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
