// Calls to Gatehouse's public HTTP API. URLs are relative ("api/org"): the page's <base href>
// makes them work under a root_url sub path. Errors carry the response's `message`.
import { basePath } from './boot.js'

export class ApiError extends Error {
  constructor (status, message, body) {
    super(message)
    this.status = status
    this.body = body
  }
}

/** Where to come back to after signing in again (read by POST /login). */
export function rememberLocation () {
  const here = location.pathname + location.search
  document.cookie = `redirect_to=${encodeURIComponent(here)}; path=${basePath}; samesite=lax`
}

async function readBody (res) {
  const text = await res.text()
  if (text === '') return undefined
  try { return JSON.parse(text) } catch { return text }
}

/**
 * api('GET', 'api/org') → the parsed JSON answer; throws ApiError with the server's message.
 * A 401 outside the sign-in page means the session ended: go to the sign-in page.
 */
export async function api (method, url, body) {
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' }
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(url, init)
  } catch (err) {
    throw new ApiError(0, `Gatehouse could not be reached (${err.message})`)
  }
  const data = await readBody(res)
  if (!res.ok) {
    if (res.status === 401 && url !== 'login') {
      rememberLocation()
      location.assign(`${basePath}login`)
    }
    const message = data && typeof data === 'object' && typeof data.message === 'string' ? data.message : `${res.status} ${res.statusText}`
    throw new ApiError(res.status, message, data)
  }
  return data
}

export const get = url => api('GET', url)
export const post = (url, body) => api('POST', url, body ?? {})
export const put = (url, body) => api('PUT', url, body ?? {})
export const patch = (url, body) => api('PATCH', url, body ?? {})
export const del = url => api('DELETE', url)
