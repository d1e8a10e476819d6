// Pieces of the data-source page: a secret field ("configured" + Reset, never prefilled), a
// checkbox, the fields a plugin's routes read, and the Test panel that calls the saved data source
// through the proxy.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { ErrorMessage, Field, useId, useSubmit } from '../components.js'

/** A secret: "configured" + Reset when stored, else a password input that starts empty. */
export function SecretInput ({ id, label, value: s, onChange }) {
  if (s.configured && !s.reset) {
    return html`<div class="field" role="group" aria-labelledby=${`${id}-label`}>
      <span class="label" id=${`${id}-label`}>${label}</span>
      <div class="inline">
        <span class="configured" id=${id}>configured</span>
        <button type="button" class="btn" aria-label=${`Reset ${label}`} onClick=${() => onChange({ ...s, reset: true, value: '' })}>Reset</button>
      </div>
    </div>`
  }
  return html`<${Field} id=${id} label=${label} hint=${s.reset ? 'Leave empty to remove the stored value when you save.' : undefined}>
    <div class="inline">
      <input id=${id} type="password" autocomplete="new-password" value=${s.value} aria-describedby=${s.reset ? `${id}-hint` : undefined}
        onInput=${e => onChange({ ...s, value: e.currentTarget.value })} />
      ${s.reset
        ? html`<button type="button" class="btn" aria-label=${`Keep the stored ${label}`}
          onClick=${() => onChange({ ...s, reset: false, value: '' })}>Keep stored</button>`
        : null}
    </div>
  </${Field}>`
}

const EMPTY_VALUE = { text: '', asJson: false }
const EMPTY_SECRET = { configured: false, reset: false, value: '' }

/**
 * One labelled input per jsonData key and one secret per secureJsonData key that the plugin's
 * routes read (GET api/plugins/:id/settings → gatehouseFields); nothing when it reads none.
 */
export function PluginSettings ({ plugin, json, secure, values, secrets, onValue, onSecret }) {
  if (json.length + secure.length === 0) return null
  return html`<section class="panel" aria-labelledby="ds-plugin">
    <h2 id="ds-plugin">${plugin.name} settings</h2>
    <p class="muted">What the plugin's routes read. An empty field is not saved.</p>
    ${json.map(key => {
      const r = values[key] ?? EMPTY_VALUE
      return html`<${Field} id=${`ds-pj-${key}`} label=${key} hint=${r.asJson ? 'Stored as JSON (a number, boolean or object).' : undefined}>
        <input id=${`ds-pj-${key}`} class=${r.asJson ? 'mono' : ''} value=${r.text} aria-describedby=${r.asJson ? `ds-pj-${key}-hint` : undefined}
          onInput=${e => onValue(key, { ...r, text: e.currentTarget.value })} />
      </${Field}>`
    })}
    ${secure.map(key => html`<${SecretInput} key=${`ps-${key}`} id=${`ds-ps-${key}`} label=${key} value=${secrets[key] ?? EMPTY_SECRET}
      onChange=${s => onSecret(key, s)} />`)}
  </section>`
}

export function TestPanel ({ uid }) {
  const id = useId('test')
  const [path, setPath] = useState('')
  const [result, setResult] = useState(undefined)
  const { busy, error, submit } = useSubmit(async () => {
    setResult(undefined)
    const started = performance.now()
    const res = await fetch(`api/datasources/proxy/uid/${encodeURIComponent(uid)}/${path.replace(/^\/+/, '')}`, { credentials: 'same-origin', headers: { accept: 'application/json, */*' } })
    const ms = Math.round(performance.now() - started)
    let message = ''
    // Gatehouse's own errors (502 unreachable, 504 timeout, 400 upstream 401) are JSON {"message"}.
    if (!res.ok && (res.headers.get('content-type') ?? '').includes('application/json')) {
      try { message = (await res.json()).message ?? '' } catch {}
    } else {
      await res.body?.cancel()
    }
    setResult({ status: res.status, statusText: res.statusText, ms, ok: res.ok, message })
  })
  return html`<form class="panel form-row" onSubmit=${submit} aria-labelledby=${`${id}-title`}>
    <h2 id=${`${id}-title`}>Test</h2>
    <p class="muted">Calls the saved data source through the proxy: <code>GET api/datasources/proxy/uid/${uid}/${path.replace(/^\/+/, '')}</code></p>
    <${Field} id=${id} label="Path" hint="A route path of the plugin, or a path on the data source URL.">
      <input id=${id} value=${path} placeholder="api/health" aria-describedby=${`${id}-hint`} onInput=${e => setPath(e.currentTarget.value)} />
    </${Field}>
    <div class="actions"><button type="submit" class="btn" disabled=${busy}>${busy ? 'Testing…' : 'Test'}</button></div>
    <${ErrorMessage} error=${error} />
    ${result
      ? html`<p role="status" class=${`alert ${result.ok ? 'alert-ok' : 'alert-error'}`} data-testid="test-result">
      HTTP ${result.status}${result.statusText ? ` ${result.statusText}` : ''} · ${result.ms} ms${result.message ? ` · ${result.message}` : ''}
    </p>`
      : null}
  </form>`
}

export function Check ({ id, label, checked, onChange }) {
  return html`<div class="field check"><input type="checkbox" id=${id} checked=${checked} onChange=${e => onChange(e.currentTarget.checked)} />
    <label for=${id}>${label}</label></div>`
}
