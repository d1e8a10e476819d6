// Where to send a browser after login: only a path on this server, never another site.
export function safeRedirect (value: string | undefined, appSubUrl: string): string | undefined {
  if (value === undefined || value === '') return undefined
  let v: string
  try {
    v = decodeURIComponent(value)
  } catch {
    return undefined
  }
  // "//evil.com" and "/\evil.com" are protocol-relative in browsers.
  // eslint-disable-next-line no-control-regex -- a redirect target with control characters is refused
  if (!v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\') || /[\u0000-\u001f\\]/.test(v)) return undefined
  let u: URL
  try {
    u = new URL(v, 'http://gatehouse.invalid')
  } catch {
    return undefined
  }
  if (u.host !== 'gatehouse.invalid') return undefined
  const path = u.pathname + u.search + u.hash
  if (appSubUrl !== '' && path !== appSubUrl && !path.startsWith(appSubUrl + '/')) return undefined
  return path
}
