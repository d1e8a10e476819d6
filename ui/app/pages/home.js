// Home: who and where you are, and the way to each page.
import { html } from '../html.js'
import { boot } from '../boot.js'
import { PageHeader } from '../components.js'

const CARDS = [
  ['datasources', 'Data sources', 'Third-party APIs the server calls for the browser, with secrets that never leave the server.'],
  ['org/apikeys', 'API keys', 'Keys for scripts, with a role and a time to live.'],
  ['org/serviceaccounts', 'Service accounts', 'Accounts for apps, with tokens you can revoke one by one.'],
  ['org/teams', 'Teams', 'Teams, their members and the external groups synced into them.'],
  ['gatehouse/origin-doctor', 'Origin doctor', 'Why a browser app on another origin is refused, and the config line that fixes it.']
]

export function Home ({ session, role }) {
  return html`<${PageHeader} title="Home" />
    <p>Signed in as <strong>${session.user.name || session.user.login}</strong>, ${role} in <strong>${session.org.name}</strong>.</p>
    ${role === 'Admin'
      ? html`<ul class="cards">${
        CARDS.map(([href, title, text]) => html`<li class="card"><a href=${href}><strong>${title}</strong></a><p>${text}</p></li>`)
      }</ul>`
      : html`<p>
        The pages here are for organization Admins. Ask an Admin of ${session.org.name} for keys or data sources, or switch to another organization.</p>`}
    <p class="muted small">Gatehouse ${boot.version}</p>`
}
