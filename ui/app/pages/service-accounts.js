// Service accounts of the current org: list, create, disable, delete; one account's tokens
// (created and shown once, deleted).
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { del, get, patch, post } from '../api.js'
import { navigate } from '../router.js'
import {
  ConfirmButton, ErrorMessage, Field, Loading, PageHeader, RoleSelect, SecretOnce, formatDate, parseDuration, useLoad, useSubmit
} from '../components.js'

function CreateAccount () {
  const [name, setName] = useState('')
  const [role, setRole] = useState('Viewer')
  const { busy, error, submit } = useSubmit(async () => {
    const sa = await post('api/serviceaccounts', { name, role })
    navigate(`/org/serviceaccounts/${sa.id}`)
  })
  return html`<form class="panel form-row" onSubmit=${submit} aria-labelledby="new-sa-title">
    <h2 id="new-sa-title">Add service account</h2>
    <${Field} id="sa-name" label="Display name">
      <input id="sa-name" required value=${name} onInput=${e => setName(e.currentTarget.value)} />
    </${Field}>
    <${RoleSelect} id="sa-role" value=${role} onChange=${setRole} />
    <${ErrorMessage} error=${error} />
    <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Create</button></div>
  </form>`
}

function DisableButton ({ sa, onChanged }) {
  const { busy, error, submit } = useSubmit(async () => {
    await patch(`api/serviceaccounts/${sa.id}`, { isDisabled: !sa.isDisabled })
    await onChanged()
  })
  return html`<button type="button" class="btn" disabled=${busy} onClick=${submit}
    aria-label=${`${sa.isDisabled ? 'Enable' : 'Disable'} ${sa.name}`}>${sa.isDisabled ? 'Enable' : 'Disable'}</button>
    ${error ? html`<${ErrorMessage} error=${error} />` : null}`
}

export function ServiceAccounts () {
  const accounts = useLoad(() => get('api/serviceaccounts/search?perpage=500&page=1'))
  return html`<${PageHeader} title="Service accounts" />
    <p class="muted">A service account is an identity for an app; its tokens (<code>glsa_…</code>) authenticate as it with its role.</p>
    <${CreateAccount} />
    <${Loading} state=${accounts}>${res => res.serviceAccounts.length === 0
      ? html`<p>No service accounts yet.</p>`
      : html`<div class="table-wrap"><table>
          <caption class="sr-only">Service accounts</caption>
          <thead><tr>
            <th scope="col">Name</th><th scope="col">Login</th><th scope="col">Role</th><th scope="col">Tokens</th><th scope="col">Status</th>
            <th scope="col"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>${res.serviceAccounts.map(sa => html`<tr key=${sa.id}>
            <td><a href=${`org/serviceaccounts/${sa.id}`}>${sa.name}</a></td>
            <td class="mono">${sa.login}</td>
            <td>${sa.role}</td>
            <td>${sa.tokens}</td>
            <td>${sa.isDisabled ? html`<span class="badge badge-error">Disabled</span>` : html`<span class="badge badge-ok">Enabled</span>`}</td>
            <td class="row-actions">
              <${DisableButton} sa=${sa} onChanged=${accounts.reload} />
              <${ConfirmButton} label="Delete" ariaLabel=${`Delete service account ${sa.name}`} title="Delete service account"
                message=${`Delete "${sa.name}" and its ${sa.tokens} token(s)? Apps using them will be refused.`}
                onConfirm=${async () => { await del(`api/serviceaccounts/${sa.id}`); accounts.reload() }} />
            </td>
          </tr>`)}</tbody>
        </table></div>`}
    </${Loading}>`
}

function CreateToken ({ id, onCreated }) {
  const [name, setName] = useState('')
  const [ttl, setTtl] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    const secondsToLive = parseDuration(ttl)
    const created = await post(`api/serviceaccounts/${id}/tokens`, { name, ...(secondsToLive !== null ? { secondsToLive } : {}) })
    setName(''); setTtl('')
    onCreated(created)
  })
  return html`<form class="panel form-row" onSubmit=${submit} aria-labelledby="new-token-title">
    <h2 id="new-token-title">Add token</h2>
    <${Field} id="token-name" label="Token name">
      <input id="token-name" required value=${name} onInput=${e => setName(e.currentTarget.value)} />
    </${Field}>
    <${Field} id="token-ttl" label="Time to live" hint="Empty: never expires. 45s, 30m, 12h, 1d, 2w, 1y.">
      <input id="token-ttl" value=${ttl} placeholder="30d" aria-describedby="token-ttl-hint" onInput=${e => setTtl(e.currentTarget.value)} />
    </${Field}>
    <${ErrorMessage} error=${error} />
    <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Generate token</button></div>
  </form>`
}

function RoleEditor ({ sa, onChanged }) {
  const [role, setRole] = useState(sa.role)
  const { busy, error, submit } = useSubmit(async () => {
    await patch(`api/serviceaccounts/${sa.id}`, { role })
    await onChanged()
  })
  return html`<form class="form-row" onSubmit=${submit}>
    <${RoleSelect} id="sa-edit-role" value=${role} onChange=${setRole} />
    <div class="actions"><button type="submit" class="btn" disabled=${busy || role === sa.role}>Change role</button></div>
    <${ErrorMessage} error=${error} />
  </form>`
}

export function ServiceAccount ({ params }) {
  const id = params[0]
  const account = useLoad(() => get(`api/serviceaccounts/${id}`))
  const tokens = useLoad(() => get(`api/serviceaccounts/${id}/tokens`))
  const [created, setCreated] = useState(undefined)
  return html`<${Loading} state=${account}>${sa => html`
    <${PageHeader} title=${`Service account: ${sa.name}`}>
      <${DisableButton} sa=${sa} onChanged=${account.reload} />
      <${ConfirmButton} label="Delete account" title="Delete service account" message=${`Delete "${sa.name}" and all its tokens?`}
        onConfirm=${async () => { await del(`api/serviceaccounts/${sa.id}`); navigate('/org/serviceaccounts') }} />
    </${PageHeader}>
    <p><a href="org/serviceaccounts">← All service accounts</a></p>
    <dl class="facts">
      <dt>Login</dt><dd class="mono">${sa.login}</dd>
      <dt>Status</dt><dd>${sa.isDisabled ? html`<span class="badge badge-error">Disabled</span>` : html`<span class="badge badge-ok">Enabled</span>`}</dd>
      <dt>Created</dt><dd>${formatDate(sa.createdAt)}</dd>
    </dl>
    <${RoleEditor} key=${sa.role} sa=${sa} onChanged=${account.reload} />
    ${created
      ? html`<${SecretOnce} title="Token created" name=${created.name} value=${created.key} onDone=${() => setCreated(undefined)} />`
      : html`<${CreateToken} id=${sa.id} onCreated=${t => { setCreated(t); tokens.reload(); account.reload() }} />`}
    <h2>Tokens</h2>
    <${Loading} state=${tokens}>${list => list.length === 0
      ? html`<p>No tokens.</p>`
      : html`<div class="table-wrap"><table>
          <caption class="sr-only">Tokens of ${sa.name}</caption>
          <thead><tr>
            <th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th>
            <th scope="col"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>${list.map(t => html`<tr key=${t.id} class=${t.hasExpired ? 'expired' : ''}>
            <td>${t.name}</td>
            <td>${formatDate(t.created)}</td>
            <td>${t.lastUsedAt ? formatDate(t.lastUsedAt) : 'Never'}</td>
            <td>${t.expiration ? formatDate(t.expiration) : 'Never'} ${t.hasExpired ? html`<span class="badge badge-error">Expired</span>` : null}</td>
            <td class="row-actions"><${ConfirmButton} label="Delete" ariaLabel=${`Delete token ${t.name}`} title="Delete token"
              message=${`Delete the token "${t.name}"? Apps using it will be refused at once.`}
              onConfirm=${async () => { await del(`api/serviceaccounts/${sa.id}/tokens/${t.id}`); tokens.reload(); account.reload() }} /></td>
          </tr>`)}</tbody>
        </table></div>`}
    </${Loading}>`}
  </${Loading}>`
}
