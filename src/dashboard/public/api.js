// Talking to the tracker's API. Signed in with an ID and password, the browser holds an HttpOnly
// session cookie (scripts cannot read it) that goes with every same-origin request; changes also
// carry the session's CSRF token, kept here in memory only (after a reload it comes from /me).
// Errors come back as ApiError with the API's code and message.

const SAFE_METHODS = new Set(['GET', 'HEAD']);

let csrfToken = null;
/** Bumped when the session ends, so only the first 401 of a session sends the page to the login form. */
let generation = 0;
let signedIn = false;

export const session = {
  get csrfToken() {
    return csrfToken;
  },
  get signedIn() {
    return signedIn;
  },
  /** After a sign-in or /me: the CSRF token for changes. */
  set(token) {
    csrfToken = token;
    signedIn = true;
  },
  clear() {
    csrfToken = null;
    signedIn = false;
    generation++;
  },
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const FALLBACK_MESSAGES = {
  0: 'サーバーに接続できません。ネットワークの状態を確認してください',
  401: 'ログインしてください',
  403: 'この操作の権限がありません',
  404: '見つかりません',
  409: '他の人が先に更新しました。再読み込みしてください',
  500: 'サーバー内部でエラーが発生しました',
};

let unauthorizedHandler = () => {};

/** Called once per 401: the page returns to the login form. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

function requestHeaders(method, accept) {
  const headers = { Accept: accept };
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

/** An error answer as ApiError; a 401 of the current session sends the page to the login form. */
function failure(status, payload, mine, quiet401) {
  const error = new ApiError(
    status,
    typeof payload.code === 'string' ? payload.code : `http_${status}`,
    typeof payload.message === 'string' ? payload.message : FALLBACK_MESSAGES[status] ?? `エラーが発生しました（${status}）`,
    payload.details,
  );
  // the whole answer, for a 422 whose body is a result (an import's row errors)
  error.body = payload;
  // the session ended (timeout, logout elsewhere, password changed, user disabled): back to the
  // login form, once (other calls in flight find the session cleared already)
  if (status === 401 && !quiet401 && signedIn && mine === generation) {
    session.clear();
    unauthorizedHandler(error);
  }
  return error;
}

async function send(path, { method = 'GET', body, accept = 'application/json', quiet401 = false } = {}) {
  const mine = generation;
  const headers = requestHeaders(method, accept);
  let payloadBody;
  if (body instanceof FormData) payloadBody = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payloadBody = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payloadBody, cache: 'no-store', credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', FALLBACK_MESSAGES[0]);
  }
  if (response.ok) return response;
  let payload = {};
  try {
    payload = await response.json();
  } catch {
    // not JSON (a proxy's error page): fall back to a message by status
  }
  throw failure(response.status, payload, mine, quiet401);
}

/**
 * A multipart upload that reports how much has been sent (fetch cannot): onProgress({ sent, total })
 * while the file goes up, then onProgress({ sent, total, uploaded: true }) while the server works.
 */
export function postFormWithProgress(path, form, onProgress = () => {}) {
  const mine = generation;
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    for (const [name, value] of Object.entries(requestHeaders('POST', 'application/json'))) request.setRequestHeader(name, value);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress({ sent: event.loaded, total: event.total });
    });
    request.upload.addEventListener('load', (event) => onProgress({ sent: event.total, total: event.total, uploaded: true }));
    request.addEventListener('error', () => reject(new ApiError(0, 'network_error', FALLBACK_MESSAGES[0])));
    request.addEventListener('load', () => {
      let payload = {};
      try {
        payload = JSON.parse(request.responseText);
      } catch {
        // not JSON: the status decides the message
      }
      if (request.status >= 200 && request.status < 300) resolve(payload);
      else reject(failure(request.status, payload, mine, false));
    });
    request.send(form);
  });
}

/** POST a JSON body (or FormData) and read the JSON answer. */
export async function postJson(path, body) {
  return (await send(path, { method: 'POST', body })).json();
}

/** Signs in; the answer's csrfToken is kept for later changes. */
export async function signIn(login, password) {
  const answer = await (await send('/api/v1/auth/login', { method: 'POST', body: { login, password }, quiet401: true })).json();
  session.set(answer.csrfToken);
  return answer;
}

/** Whether the cookie still holds a session (no 401 when not): { signedIn, csrfToken, mustChangePassword }. */
export async function sessionState() {
  const state = await (await send('/api/v1/auth/session', { quiet401: true })).json();
  if (state.signedIn) session.set(state.csrfToken);
  return state;
}

export async function changePassword(current, next) {
  return (await send('/api/v1/auth/password', { method: 'POST', body: { current, new: next } })).json();
}

/** Ends the session on the server; the page forgets its CSRF token whatever the answer. */
export async function signOut() {
  try {
    await send('/api/v1/auth/logout', { method: 'POST', quiet401: true });
  } finally {
    session.clear();
  }
}

export async function getJson(path) {
  return (await send(path)).json();
}

export async function patchJson(path, body) {
  return (await send(path, { method: 'PATCH', body })).json();
}

export async function putJson(path, body) {
  return (await send(path, { method: 'PUT', body })).json();
}

export async function deleteJson(path) {
  return (await send(path, { method: 'DELETE' })).json();
}

/** Fetches a file with the session and hands it to the browser as a download (Blob URL). */
export async function download(path, fallbackName) {
  const response = await send(path, { accept: '*/*' });
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // give the browser a moment to start the download before the URL goes away
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, size: blob.size };
}

/** The file name from a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function fileNameOf(header) {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // malformed percent-encoding: try the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : null;
}
