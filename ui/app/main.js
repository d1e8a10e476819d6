// The app: the sign-in page, or the shell (side menu, org switcher, user menu) around a page.
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { html } from './html.js'
import { get, post } from './api.js'
import { boot } from './boot.js'
import { interceptLinks, usePath } from './router.js'
import { ErrorMessage, useId } from './components.js'
import { Login } from './pages/login.js'
import { Home } from './pages/home.js'
import { Profile } from './pages/profile.js'
import { ApiKeys } from './pages/api-keys.js'
import { ServiceAccounts, ServiceAccount } from './pages/service-accounts.js'
import { DataSources } from './pages/datasources.js'
import { DataSourceEdit } from './pages/datasource-edit.js'
import { Teams, Team } from './pages/teams.js'
import { OriginDoctor } from './pages/origin-doctor.js'
import { Activity } from './pages/activity.js'

const ROUTES = [
  [/^\/$/, Home],
  [/^\/profile$/, Profile],
  [/^\/org\/apikeys$/, ApiKeys, 'Admin'],
  [/^\/org\/serviceaccounts$/, ServiceAccounts, 'Admin'],
  [/^\/org\/serviceaccounts\/(\d+)$/, ServiceAccount, 'Admin'],
  [/^\/datasources$/, DataSources, 'Admin'],
  [/^\/datasources\/new$/, DataSourceEdit, 'Admin'],
  [/^\/datasources\/edit\/([^/]+)$/, DataSourceEdit, 'Admin'],
  [/^\/org\/teams$/, Teams, 'Admin'],
  [/^\/org\/teams\/edit\/(\d+)(?:\/\w+)?$/, Team, 'Admin'],
  [/^\/gatehouse\/origin-doctor$/, OriginDoctor, 'Admin'],
  [/^\/gatehouse\/activity$/, Activity, 'Admin']
]

const MENU = [
  ['/', 'Home'],
  ['/datasources', 'Data sources', 'Admin'],
  ['/org/apikeys', 'API keys', 'Admin'],
  ['/org/serviceaccounts', 'Service accounts', 'Admin'],
  ['/org/teams', 'Teams', 'Admin'],
  ['/gatehouse/origin-doctor', 'Origin doctor', 'Admin'],
  ['/gatehouse/activity', 'Activity', 'Admin']
]

const match = path => {
  for (const [re, Page, role] of ROUTES) {
    const m = re.exec(path)
    if (m) return { Page, role, params: m.slice(1).map(decodeURIComponent) }
  }
  return undefined
}

function OrgSwitcher ({ session, onSwitched }) {
  const id = useId('org')
  const [error, setError] = useState(undefined)
  const change = async e => {
    const orgId = Number(e.currentTarget.value)
    setError(undefined)
    try {
      await post(`api/user/using/${orgId}`)
      await onSwitched()
    } catch (err) {
      setError(err)
    }
  }
  return html`<div class="org-switcher">
    <label for=${id}>Organization</label>
    <select id=${id} value=${String(session.user.orgId)} onChange=${change}>
      ${session.orgs.map(o => html`<option value=${String(o.orgId)} selected=${o.orgId === session.user.orgId}>${o.name}</option>`)}
    </select>
    ${error ? html`<span class="sr-alert" role="alert">${error.message}</span>` : null}
  </div>`
}

function UserMenu ({ user }) {
  return html`<details class="user-menu">
    <summary><span class="sr-only">Signed in as </span>${user.login}</summary>
    <div class="user-menu-list">
      <p class="muted">${user.name || user.login}${user.email ? html`<br />${user.email}` : null}</p>
      <a href="profile">Profile</a>
      <a href="swagger" data-reload>API reference</a>
      <a href="logout" data-reload>Sign out</a>
    </div>
  </details>`
}

function SideMenu ({ path, role, open, onNavigate }) {
  return html`<nav id="sidemenu" class=${`sidemenu${open ? ' open' : ''}`} aria-label="Main">
    <ul>
      ${MENU.filter(([, , need]) => need === undefined || role === need).map(([href, label]) => {
        const current = href === '/' ? path === '/' : path === href || path.startsWith(href + '/')
        return html`<li><a href=${href === '/' ? './' : href.slice(1)} aria-current=${current ? 'page' : undefined} onClick=${onNavigate}>${label}</a></li>`
      })}
    </ul>
  </nav>`
}

function Shell () {
  const path = usePath()
  const [session, setSession] = useState(undefined)
  const [error, setError] = useState(undefined)
  const [menuOpen, setMenuOpen] = useState(false)

  const load = async () => {
    try {
      const [user, orgs, org] = await Promise.all([get('api/user'), get('api/user/orgs'), get('api/org')])
      setSession({ user, orgs, org })
    } catch (err) {
      setError(err)
    }
  }
  useEffect(() => { load() }, [])
  // Moving to another page moves focus to its heading region, for keyboard and screen-reader users.
  useEffect(() => { document.getElementById('main')?.focus({ preventScroll: true }) }, [path])

  if (error) return html`<main id="main" class="standalone"><${ErrorMessage} error=${error} /></main>`
  if (session === undefined) return html`<main id="main" class="standalone"><p class="muted">Loading…</p></main>`

  const role = session.orgs.find(o => o.orgId === session.user.orgId)?.role ?? 'Viewer'
  const route = match(path)
  let content
  if (route === undefined) {
    content = html`<h1>Page not found</h1><p>There is no page at <code>${path}</code>. <a href="./">Go home</a>.</p>`
  } else if (route.role !== undefined && role !== route.role) {
    content = html`<h1>Not allowed</h1>
      <p class="alert alert-error" role="alert">
        This page needs the ${route.role} role in ${session.org.name}; you are ${role === 'Admin' ? 'an' : 'a'} ${role}.</p>`
  } else {
    // Keyed by org: switching org reloads the page's data.
    content = html`<${route.Page} key=${`${session.user.orgId}:${path}`} params=${route.params} session=${session} role=${role} />`
  }

  return html`<div class="layout">
    <a class="skip-link" href="#main" data-reload onClick=${e => { e.preventDefault(); document.getElementById('main')?.focus() }}>Skip to content</a>
    <header class="topbar">
      <button type="button" class="btn menu-toggle" aria-controls="sidemenu" aria-expanded=${menuOpen ? 'true' : 'false'}
        onClick=${() => setMenuOpen(!menuOpen)}>Menu</button>
      <a class="brand" href="./"><img src="public/img/gatehouse.svg" alt="" width="24" height="24" /> Gatehouse</a>
      <div class="topbar-end">
        <${OrgSwitcher} session=${session} onSwitched=${load} />
        <${UserMenu} user=${session.user} />
      </div>
    </header>
    <${SideMenu} path=${path} role=${role} open=${menuOpen} onNavigate=${() => setMenuOpen(false)} />
    <main id="main" tabindex="-1">${content}</main>
  </div>`
}

function App () {
  const path = usePath()
  return path === '/login' ? html`<${Login} />` : html`<${Shell} />`
}

interceptLinks(path => path !== '/login' && path !== '/logout' && !path.startsWith('/api/') && !path.startsWith('/public/'))
document.documentElement.dataset.version = boot.version
render(html`<${App} />`, document.getElementById('app'))
