// Client-side routes under the app's sub path: history.pushState for links inside the app,
// a full page load for everything else (sign out, the API).
import { useEffect, useState } from 'preact/hooks'
import { boot, basePath } from './boot.js'

const listeners = new Set()

/** The path inside the app ("/org/apikeys"), whatever sub path the app is served under. */
export function currentPath () {
  let p = location.pathname
  if (boot.appSubUrl !== '' && (p === boot.appSubUrl || p.startsWith(basePath))) p = p.slice(boot.appSubUrl.length)
  return p === '' ? '/' : p
}

export function navigate (path, { replace = false } = {}) {
  const url = boot.appSubUrl + path
  if (replace) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
  for (const l of listeners) l()
  window.scrollTo(0, 0)
}

export function usePath () {
  const [path, setPath] = useState(currentPath())
  useEffect(() => {
    const update = () => setPath(currentPath())
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => { listeners.delete(update); window.removeEventListener('popstate', update) }
  }, [])
  return path
}

/** Same-origin links to app pages move without a reload; data-reload links (sign out) load fully. */
export function interceptLinks (isAppPath) {
  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const a = event.target instanceof Element ? event.target.closest('a[href]') : null
    if (a === null || a.hasAttribute('data-reload') || a.target !== '' || a.hasAttribute('download')) return
    const url = new URL(a.href, document.baseURI)
    if (url.origin !== location.origin || !(url.pathname + '/').startsWith(basePath)) return
    const path = url.pathname.slice(boot.appSubUrl.length) || '/'
    if (!isAppPath(path)) return
    event.preventDefault()
    navigate(path + url.search)
  })
}
