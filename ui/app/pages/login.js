// Sign in: POST /login, then on to where the browser was heading (the server's redirectUrl).
import { useEffect, useState } from 'preact/hooks'
import { html } from '../html.js'
import { post } from '../api.js'
import { boot } from '../boot.js'
import { ErrorMessage, Field, useSubmit } from '../components.js'

export function Login () {
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  useEffect(() => { document.title = 'Sign in · Gatehouse' }, [])
  const { busy, error, submit } = useSubmit(async () => {
    const res = await post('login', { user, password })
    location.assign(res.redirectUrl)
  })
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
              <input id="login-password" name="password" type="password" autocomplete="current-password" required value=${password} onInput=${e => setPassword(e.currentTarget.value)} />
            </${Field}>
            <${ErrorMessage} error=${error} />
            ${locked ? html`<p class="hint">Failed attempts count for 5 minutes; try again after that, or ask an admin.</p>` : null}
            <button type="submit" class="btn btn-primary btn-block" disabled=${busy || user === '' || password === ''}>${busy ? 'Signing in…' : 'Sign in'}</button>
          </form>`}
    </div>
  </main>`
}
