// Sign in: POST /login, then on to where the browser was heading (the server's redirectUrl).
// Signed in with the default password "admin": first Grafana's "Update your password" step (skippable).
import { useEffect, useState } from 'preact/hooks'
import { html } from '../html.js'
import { post, put } from '../api.js'
import { boot } from '../boot.js'
import { ErrorMessage, Field, useSubmit } from '../components.js'

export function Login () {
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  const [changing, setChanging] = useState(undefined)
  useEffect(() => { document.title = 'Sign in · Gatehouse' }, [])
  const { busy, error, submit } = useSubmit(async () => {
    const res = await post('login', { user, password })
    // As Grafana's login page does: the typed password tells that it is still the default.
    if (password === 'admin') setChanging(res.redirectUrl)
    else location.assign(res.redirectUrl)
  })
  if (changing !== undefined) return html`<${ChangeDefaultPassword} redirectUrl=${changing} />`
  // 429: the brute-force lock; say how long it lasts.
  const locked = error?.status === 429

  return html`<main id="main" class="login">
    <div class="login-box">
      <h1><img src="public/img/gatehouse.svg" alt="" width="32" height="32" /> Sign in to Gatehouse</h1>
      ${boot.disableLoginForm
        ? html`<p class="alert alert-warn" role="status">Signing in with a password is turned off on this server
            (<code>[auth] disable_login_form</code>). Sign in through your organization's authentication proxy or single sign-on.</p>`
        : html`<form onSubmit=${submit} novalidate>
            <${Field} id="login-user" label="Email or username">
              <input id="login-user" name="user" autocomplete="username" required autofocus value=${user} onInput=${e => setUser(e.currentTarget.value)} />
            </${Field}>
            <${Field} id="login-password" label="Password">
              <input id="login-password" name="password" type="password" autocomplete="current-password" required value=${password}
                onInput=${e => setPassword(e.currentTarget.value)} />
            </${Field}>
            <${ErrorMessage} error=${error} />
            ${locked ? html`<p class="hint">Failed attempts count for 5 minutes; try again after that, or ask an admin.</p>` : null}
            <button type="submit" class="btn btn-primary btn-block"
              disabled=${busy || user === '' || password === ''}>${busy ? 'Signing in…' : 'Sign in'}</button>
          </form>`}
    </div>
  </main>`
}

function ChangeDefaultPassword ({ redirectUrl }) {
  const [newPassword, setNew] = useState('')
  const [confirmNew, setConfirm] = useState('')
  useEffect(() => { document.title = 'Update your password · Gatehouse' }, [])
  const { busy, error, submit } = useSubmit(async () => {
    if (newPassword !== confirmNew) throw new Error('Passwords do not match')
    await put('api/user/password', { oldPassword: 'admin', newPassword })
    location.assign(redirectUrl)
  })
  return html`<main id="main" class="login">
    <div class="login-box">
      <h1>Update your password</h1>
      <p>You signed in with the default password. Choose a new one to keep others out.</p>
      <form onSubmit=${submit} novalidate>
        <${Field} id="new-password" label="New password">
          <input id="new-password" type="password" autocomplete="new-password" required autofocus value=${newPassword}
            onInput=${e => setNew(e.currentTarget.value)} />
        </${Field}>
        <${Field} id="confirm-new" label="Confirm new password">
          <input id="confirm-new" type="password" autocomplete="new-password" required value=${confirmNew} onInput=${e => setConfirm(e.currentTarget.value)} />
        </${Field}>
        <${ErrorMessage} error=${error} />
        <button type="submit" class="btn btn-primary btn-block" disabled=${busy || newPassword === ''}>${busy ? 'Saving…' : 'Submit'}</button>
        <button type="button" class="btn btn-block" onClick=${() => location.assign(redirectUrl)}>Skip</button>
      </form>
    </div>
  </main>`
}
