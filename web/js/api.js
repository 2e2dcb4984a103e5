/*
 * Requests to the server's JSON API with the tab's control token as a bearer token (needed for
 * changes, and for reads when the server protects them). Every answer comes back as
 * {ok, status, data, error}: error is the server's own message ({"error": "..."}) word for word, so
 * the page can show exactly what the command line would have said.
 */

import { readStoredToken, storeToken } from './controls.js';

/** method, url, body (an object sent as JSON, or undefined), token (default: the stored one). Never rejects. */
export async function requestJson(method, url, body, tokenOverride) {
  const headers = { Accept: 'application/json' };
  const token = tokenOverride === undefined ? readStoredToken() : tokenOverride;
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method: method, headers: headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, status: 0, data: null, error: 'no answer from the server (' + (e && e.message ? e.message : 'network error') + ')' };
  }
  let data = null;
  try {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  const error = response.ok ? ''
    : data && typeof data.error === 'string' ? data.error : 'HTTP ' + response.status;
  return { ok: response.ok, status: response.status, data: data, error: error };
}

export function getJson(url) {
  return requestJson('GET', url, undefined);
}

/** Keeps a token field and the tab's stored token in step (the live page's controls share it). */
export function bindTokenInput(input) {
  input.value = readStoredToken();
  input.addEventListener('input', () => storeToken(input.value));
  input.addEventListener('change', () => storeToken(input.value));
  return () => {
    input.value = readStoredToken();
  };
}
