// Talking to the tracker's API: the token lives in sessionStorage (this tab only), every call
// carries it as a bearer token, and errors come back as ApiError with the API's code and message.

const TOKEN_KEY = 'procedure-tracker.token';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
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
  401: '認証が必要です（トークンが無いか無効です）',
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

async function send(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const token = session.token;
  if (!token) {
    unauthorizedHandler();
    throw new ApiError(401, 'unauthorized', FALLBACK_MESSAGES[401]);
  }
  const headers = { Authorization: `Bearer ${token}`, Accept: accept };
  // a FormData body (a file upload) sets its own multipart Content-Type
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body), cache: 'no-store' });
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
  const error = new ApiError(
    response.status,
    typeof payload.code === 'string' ? payload.code : `http_${response.status}`,
    typeof payload.message === 'string' ? payload.message : FALLBACK_MESSAGES[response.status] ?? `エラーが発生しました（${response.status}）`,
    payload.details,
  );
  // the whole answer, for a 422 whose body is a result (an import's row errors)
  error.body = payload;
  // a token revoked or mistyped: back to the login form, once (other calls may be in flight
  // with the same token; they find it cleared already)
  if (response.status === 401 && session.token === token) unauthorizedHandler(error);
  throw error;
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

export async function postJson(path, body) {
  return (await send(path, { method: 'POST', body })).json();
}

/** A multipart upload (FormData with the file); the answer's JSON. */
export async function postForm(path, form) {
  return (await send(path, { method: 'POST', body: form })).json();
}

/** Fetches a file with the token and hands it to the browser as a download (Blob URL). */
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
