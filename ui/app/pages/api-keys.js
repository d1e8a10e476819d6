// API keys of the current org: list (expired ones marked), create (the key shown once), delete.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { del, get, post } from '../api.js'
import {
  ConfirmButton, ErrorMessage, Field, Loading, PageHeader, RoleSelect, SecretOnce, formatDate, parseDuration, useLoad, useSubmit
} from '../components.js'

function CreateKey ({ onCreated }) {
  const [name, setName] = useState('')
  const [role, setRole] = useState('Viewer')
  const [ttl, setTtl] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    const secondsToLive = parseDuration(ttl)
    const created = await post('api/auth/keys', { name, role, ...(secondsToLive !== null ? { secondsToLive } : {}) })
    setName(''); setTtl('')
    onCreated(created)
  })
  return html`<form class="panel form-row" onSubmit=${submit} aria-labelledby="new-key-title">
    <h2 id="new-key-title">Add API key</h2>
    <${Field} id="key-name" label="Name">
      <input id="key-name" required value=${name} onInput=${e => setName(e.currentTarget.value)} />
    </${Field}>
    <${RoleSelect} id="key-role" value=${role} onChange=${setRole} />
    <${Field} id="key-ttl" label="Time to live" hint="Empty: never expires. 45s, 30m, 12h, 1d, 2w, 1y.">
      <input id="key-ttl" value=${ttl} placeholder="1d" aria-describedby="key-ttl-hint" onInput=${e => setTtl(e.currentTarget.value)} />
    </${Field}>
    <${ErrorMessage} error=${error} />
    <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Add</button></div>
  </form>`
}

export function ApiKeys () {
  const keys = useLoad(() => get('api/auth/keys?includeExpired=true'))
  const [created, setCreated] = useState(undefined)
  const now = Date.now()
  return html`<${PageHeader} title="API keys" />
    <p class="muted">Keys act in this organization with their role. For apps, prefer <a href="org/serviceaccounts">
      service accounts</a>: their tokens can be rotated one by one.</p>
    ${created
      ? html`<${SecretOnce} title="API key created" name=${created.name} value=${created.key} onDone=${() => setCreated(undefined)} />`
      : html`<${CreateKey} onCreated=${k => { setCreated(k); keys.reload() }} />`}
    <${Loading} state=${keys}>${list => list.length === 0
      ? html`<p>No API keys yet.</p>`
      : html`<div class="table-wrap"><table>
          <caption class="sr-only">API keys</caption>
          <thead><tr>
            <th scope="col">Name</th><th scope="col">Role</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>${list.map(k => {
            const expired = k.expiration !== undefined && Date.parse(k.expiration) <= now
            return html`<tr key=${k.id} class=${expired ? 'expired' : ''}>
              <td>${k.name}</td>
              <td>${k.role}</td>
              <td>
                ${k.expiration === undefined ? 'Never' : formatDate(k.expiration)} ${expired ? html`<span class="badge badge-error">Expired</span>` : null}</td>
              <td class="row-actions"><${ConfirmButton} label="Delete" ariaLabel=${`Delete API key ${k.name}`} title="Delete API key"
                message=${`Delete the API key "${k.name}"? Requests using it will be refused at once.`}
                onConfirm=${async () => { await del(`api/auth/keys/${k.id}`); keys.reload() }} /></td>
            </tr>`
          })}</tbody>
        </table></div>`}
    </${Loading}>`
}
