// Your profile and password.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { put } from '../api.js'
import { ErrorMessage, Field, PageHeader, Status, useSubmit } from '../components.js'

export function Profile ({ session }) {
  const u = session.user
  const [oldPassword, setOld] = useState('')
  const [newPassword, setNew] = useState('')
  const [done, setDone] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    setDone('')
    const res = await put('api/user/password', { oldPassword, newPassword })
    setOld(''); setNew('')
    setDone(res.message)
  })
  return html`<${PageHeader} title="Profile" />
    <dl class="facts">
      <dt>Login</dt><dd>${u.login}</dd>
      <dt>Name</dt><dd>${u.name || '—'}</dd>
      <dt>Email</dt><dd>${u.email || '—'}</dd>
      <dt>Organizations</dt><dd>${session.orgs.map(o => `${o.name} (${o.role})`).join(', ')}</dd>
    </dl>
    ${u.isExternal
      ? null
      : html`<form class="panel" onSubmit=${submit}>
      <h2>Change password</h2>
      <${Field} id="pw-old" label="Current password">
        <input id="pw-old" type="password" autocomplete="current-password" value=${oldPassword} onInput=${e => setOld(e.currentTarget.value)} />
      </${Field}>
      <${Field} id="pw-new" label="New password">
        <input id="pw-new" type="password" autocomplete="new-password" value=${newPassword} onInput=${e => setNew(e.currentTarget.value)} />
      </${Field}>
      <${ErrorMessage} error=${error} />
      ${done ? html`<${Status}>${done}</${Status}>` : null}
      <button type="submit" class="btn btn-primary" disabled=${busy}>Change password</button>
    </form>`}`
}
