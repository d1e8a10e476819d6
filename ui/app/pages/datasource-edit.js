// Create or edit a data source. Secrets: the API only says which keys hold a value
// (secureJsonFields), so a stored secret shows as "configured" with a Reset button and is never
// prefilled. Saving sends the loaded version: a concurrent edit is refused with 409 and its message.
// A type with a plugin gets one field per key its routes read; the generic rows hold the rest.
import { useEffect, useState } from 'preact/hooks'
import { html } from '../html.js'
import { del, get, post, put } from '../api.js'
import { navigate } from '../router.js'
import { ConfirmButton, ErrorMessage, Field, Loading, PageHeader, Status, useLoad, useSubmit } from '../components.js'
import { Check, PluginSettings, SecretInput, TestPanel } from './datasource-fields.js'

const HEADER_NAME = /^httpHeaderName(\d+)$/
const HEADER_VALUE = /^httpHeaderValue(\d+)$/
const NEW = {
  name: '',
  type: '',
  access: 'proxy',
  url: '',
  basicAuth: false,
  basicAuthUser: '',
  withCredentials: false,
  isDefault: false,
  jsonData: {},
  secureJsonFields: {},
  version: 0
}

/** The keys a plugin's routes read (gatehouseFields), less those this form already has fields for. */
function pluginKeys (fields) {
  return {
    json: (fields?.jsonData ?? []).filter(k => !HEADER_NAME.test(k)),
    secure: (fields?.secureJsonData ?? []).filter(k => k !== 'basicAuthPassword' && !HEADER_VALUE.test(k))
  }
}

const jsonRow = value => ({ text: typeof value === 'string' ? value : JSON.stringify(value), asJson: typeof value !== 'string' })

function jsonValue (key, row) {
  if (!row.asJson) return row.text
  try { return JSON.parse(row.text) } catch { throw new Error(`jsonData "${key}" is not valid JSON`) }
}

/** The form's state from a data source as the API shows it. */
function formFrom (ds, fields) {
  const pk = pluginKeys(fields)
  const json = Object.entries(ds.jsonData ?? {}).filter(([k]) => !HEADER_NAME.test(k) && !pk.json.includes(k))
  const headers = Object.entries(ds.jsonData ?? {}).flatMap(([k, v]) => {
    const m = HEADER_NAME.exec(k)
    return m ? [{ n: Number(m[1]), name: String(v), secret: secret(ds, `httpHeaderValue${m[1]}`) }] : []
  }).sort((a, b) => a.n - b.n)
  return {
    name: ds.name,
    type: ds.type,
    access: ds.access || 'proxy',
    url: ds.url,
    isDefault: ds.isDefault,
    withCredentials: ds.withCredentials,
    basicAuth: ds.basicAuth,
    basicAuthUser: ds.basicAuthUser,
    basicAuthPassword: secret(ds, 'basicAuthPassword'),
    json: json.map(([key, value]) => ({ key, ...jsonRow(value) })),
    headers,
    secure: Object.keys(ds.secureJsonFields ?? {})
      .filter(k => k !== 'basicAuthPassword' && !HEADER_VALUE.test(k) && !pk.secure.includes(k)).sort()
      .map(key => ({ key, ...secret(ds, key) })),
    pluginJson: Object.fromEntries(pk.json.filter(k => ds.jsonData?.[k] !== undefined).map(k => [k, jsonRow(ds.jsonData[k])])),
    pluginSecure: Object.fromEntries(pk.secure.map(k => [k, secret(ds, k)])),
    removedSecure: [],
    version: ds.version
  }
}

function secret (ds, key) {
  return { configured: ds.secureJsonFields?.[key] === true, reset: false, value: '' }
}

/** What a secret field sends: nothing while configured and untouched, "" to clear after Reset. */
function secretValue (s) {
  if (s.configured && !s.reset) return undefined
  if (s.configured) return s.value
  return s.value === '' ? undefined : s.value
}

function bodyFrom (f, isNew, fields) {
  const jsonData = {}
  for (const row of f.json) {
    const key = row.key.trim()
    if (key !== '') jsonData[key] = jsonValue(key, row)
  }
  const pk = pluginKeys(fields)
  for (const key of pk.json) {
    const row = f.pluginJson[key]
    if (row !== undefined && row.text !== '') jsonData[key] = jsonValue(key, row)
  }
  const secureJsonData = {}
  const put = (key, s) => { const v = secretValue(s); if (v !== undefined) secureJsonData[key] = v }
  for (const h of f.headers) {
    if (h.name.trim() === '') continue
    jsonData[`httpHeaderName${h.n}`] = h.name.trim()
    put(`httpHeaderValue${h.n}`, h.secret)
  }
  if (f.basicAuth) put('basicAuthPassword', f.basicAuthPassword)
  for (const s of f.secure) {
    const key = s.key.trim()
    if (key !== '') put(key, s)
  }
  for (const key of pk.secure) if (f.pluginSecure[key] !== undefined) put(key, f.pluginSecure[key])
  // A removed secret is cleared ("" removes a stored key).
  for (const key of f.removedSecure) if (!(key in secureJsonData)) secureJsonData[key] = ''
  return {
    name: f.name,
    type: f.type,
    access: f.access,
    url: f.url,
    isDefault: f.isDefault,
    withCredentials: f.withCredentials,
    basicAuth: f.basicAuth,
    basicAuthUser: f.basicAuth ? f.basicAuthUser : '',
    jsonData,
    ...(Object.keys(secureJsonData).length > 0 ? { secureJsonData } : {}),
    ...(isNew ? {} : { version: f.version })
  }
}

/** The chosen type's plugin settings (GET api/plugins/:id/settings), or null when it has no plugin. */
function usePlugin (type, plugins, initial) {
  const [plugin, setPlugin] = useState(initial)
  useEffect(() => {
    if (plugin?.id === type) return
    if (!plugins.some(p => p.id === type)) { setPlugin(null); return }
    let current = true
    get(`api/plugins/${encodeURIComponent(type)}/settings`).then(s => { if (current) setPlugin(s) }, () => { if (current) setPlugin(null) })
    return () => { current = false }
  }, [type])
  return plugin
}

function Editor ({ ds, isNew, plugins, plugin: loaded }) {
  const [f, setF] = useState(() => formFrom(ds, loaded?.gatehouseFields))
  const [saved, setSaved] = useState('')
  const set = patch => { setSaved(''); setF(prev => ({ ...prev, ...patch })) }
  const setRow = (list, i, patch) => set({ [list]: f[list].map((r, j) => j === i ? { ...r, ...patch } : r) })
  const plugin = usePlugin(f.type.trim(), plugins, loaded)
  const pk = pluginKeys(plugin?.gatehouseFields)
  const { busy, error, submit } = useSubmit(async () => {
    const body = bodyFrom(f, isNew, plugin?.gatehouseFields)
    if (isNew) {
      const res = await post('api/datasources', body)
      navigate(`/datasources/edit/${encodeURIComponent(res.datasource.uid)}`, { replace: true })
      return
    }
    const res = await put(`api/datasources/uid/${encodeURIComponent(ds.uid)}`, body)
    setF(formFrom(res.datasource, plugin?.gatehouseFields))
    setSaved(res.message)
  })
  const nextHeader = () => Math.max(0, ...f.headers.map(h => h.n)) + 1

  return html`<form onSubmit=${submit} class="ds-form" novalidate>
    <section class="panel" aria-labelledby="ds-basics">
      <h2 id="ds-basics">Settings</h2>
      <${Field} id="ds-name" label="Name"><input id="ds-name" required value=${f.name} onInput=${e => set({ name: e.currentTarget.value })} /></${Field}>
      ${isNew
        ? html`<${Field} id="ds-type" label="Type" hint="A data-source plugin id (from [paths] plugins) or any type name.">
            <input id="ds-type" required list="ds-types" value=${f.type} aria-describedby="ds-type-hint" onInput=${e => set({ type: e.currentTarget.value })} />
            <datalist id="ds-types">${plugins.map(p => html`<option value=${p.id}>${p.name}</option>`)}</datalist>
          </${Field}>`
        : html`<p><span class="label">Type</span> <code>${f.type}</code> · uid <code>${ds.uid}</code> · version ${f.version}</p>`}
      <${Field} id="ds-url" label="URL"><input id="ds-url" type="url" value=${f.url} placeholder="https://api.example.com" onInput=${e => set({ url: e.currentTarget.value })} /></${Field}>
      <${Field} id="ds-access" label="Access">
        <select id="ds-access" value=${f.access} onChange=${e => set({ access: e.currentTarget.value })}>
          <option value="proxy" selected=${f.access === 'proxy'}>Server (proxy): the server calls the URL</option>
          <option value="direct" selected=${f.access === 'direct'}>Browser (direct)</option>
        </select>
      </${Field}>
      <${Check} id="ds-default" label="Default data source" checked=${f.isDefault} onChange=${v => set({ isDefault: v })} />
      <${Check} id="ds-credentials" label="With credentials (browser access: send cookies)" checked=${f.withCredentials}
        onChange=${v => set({ withCredentials: v })} />
    </section>

    ${plugin
      ? html`<${PluginSettings} plugin=${plugin} json=${pk.json} secure=${pk.secure} values=${f.pluginJson} secrets=${f.pluginSecure}
      onValue=${(key, row) => set({ pluginJson: { ...f.pluginJson, [key]: row } })}
      onSecret=${(key, s) => set({ pluginSecure: { ...f.pluginSecure, [key]: s } })} />`
      : null}

    <section class="panel" aria-labelledby="ds-auth">
      <h2 id="ds-auth">Basic auth</h2>
      <${Check} id="ds-basic" label="Send basic auth to the data source" checked=${f.basicAuth} onChange=${v => set({ basicAuth: v })} />
      ${f.basicAuth
        ? html`
        <${Field} id="ds-basic-user" label="User"><input id="ds-basic-user" autocomplete="off" value=${f.basicAuthUser}
          onInput=${e => set({ basicAuthUser: e.currentTarget.value })} /></${Field}>
        <${SecretInput} id="ds-basic-password" label="Password" value=${f.basicAuthPassword} onChange=${s => set({ basicAuthPassword: s })} />`
        : null}
    </section>

    <section class="panel" aria-labelledby="ds-headers">
      <h2 id="ds-headers">Custom headers</h2>
      <p class="muted">Added to every proxied request. Values are secrets.</p>
      ${f.headers.map((h, i) => html`<div class="row-group" key=${h.n}>
        <${Field} id=${`ds-h-name-${h.n}`} label=${`Header ${i + 1} name`}>
          <input id=${`ds-h-name-${h.n}`} value=${h.name} onInput=${e => setRow('headers', i, { name: e.currentTarget.value })} />
        </${Field}>
        <${SecretInput} id=${`ds-h-value-${h.n}`} label=${`Header ${i + 1} value`} value=${h.secret} onChange=${s => setRow('headers', i, { secret: s })} />
        <button type="button" class="btn btn-link" aria-label=${`Remove header ${i + 1}`} onClick=${() => set({
          headers: f.headers.filter((_, j) => j !== i),
          removedSecure: h.secret.configured ? [...f.removedSecure, `httpHeaderValue${h.n}`] : f.removedSecure
        })}>Remove</button>
      </div>`)}
      <button type="button" class="btn"
        onClick=${() => set({ headers: [...f.headers, { n: nextHeader(), name: '', secret: { configured: false, reset: false, value: '' } }] })}
      >Add header</button>
    </section>

    <section class="panel" aria-labelledby="ds-json">
      <h2 id="ds-json">Settings for the plugin (jsonData)</h2>
      <p class="muted">Read by routes as <code>{{ .JsonData.key }}</code>. Tick JSON for numbers, booleans and objects.</p>
      ${f.json.map((r, i) => html`<div class="row-group" key=${`json-${i}`}>
        <${Field} id=${`ds-j-key-${i}`} label=${`Setting ${i + 1} key`}><input id=${`ds-j-key-${i}`} value=${r.key}
          onInput=${e => setRow('json', i, { key: e.currentTarget.value })} /></${Field}>
        <${Field} id=${`ds-j-val-${i}`} label=${`Setting ${i + 1} value`}><input id=${`ds-j-val-${i}`} class=${r.asJson ? 'mono' : ''} value=${r.text}
          onInput=${e => setRow('json', i, { text: e.currentTarget.value })} /></${Field}>
        <${Check} id=${`ds-j-json-${i}`} label="JSON" checked=${r.asJson} onChange=${v => setRow('json', i, { asJson: v })} />
        <button type="button" class="btn btn-link" aria-label=${`Remove setting ${i + 1}`}
          onClick=${() => set({ json: f.json.filter((_, j) => j !== i) })}>Remove</button>
      </div>`)}
      <button type="button" class="btn" onClick=${() => set({ json: [...f.json, { key: '', text: '', asJson: false }] })}>Add setting</button>
    </section>

    <section class="panel" aria-labelledby="ds-secure">
      <h2 id="ds-secure">Secrets for the plugin (secureJsonData)</h2>
      <p class="muted">Read by routes as <code>{{ .SecureJsonData.key }}</code>. Encrypted on the server; this page can never show them again.</p>
      ${f.secure.map((s, i) => html`<div class="row-group" key=${`sec-${s.configured ? s.key : i}`}>
        ${s.configured
          ? null
          : html`<${Field} id=${`ds-s-key-${i}`} label=${`Secret ${i + 1} key`}>
            <input id=${`ds-s-key-${i}`} value=${s.key} onInput=${e => setRow('secure', i, { key: e.currentTarget.value })} />
          </${Field}>`}
        <${SecretInput} id=${`ds-s-val-${i}`} label=${s.configured ? s.key : `Secret ${i + 1} value`} value=${s} onChange=${v => setRow('secure', i, v)} />
        <button type="button" class="btn btn-link" aria-label=${`Remove secret ${s.key || i + 1}`} onClick=${() => set({
          secure: f.secure.filter((_, j) => j !== i),
          removedSecure: s.configured ? [...f.removedSecure, s.key] : f.removedSecure
        })}>Remove</button>
      </div>`)}
      <button type="button" class="btn"
        onClick=${() => set({ secure: [...f.secure, { key: '', configured: false, reset: false, value: '' }] })}>Add secret</button>
    </section>

    <${ErrorMessage} error=${error} />
    ${error?.status === 409 && !isNew
      ? html`<p><button type="button" class="btn" onClick=${() => location.reload()}>Reload the saved version</button></p>`
      : null}
    ${saved ? html`<${Status}>${saved}</${Status}>` : null}
    <div class="actions form-end">
      <button type="submit" class="btn btn-primary" disabled=${busy || ds.readOnly}>${busy ? 'Saving…' : 'Save'}</button>
      <a class="btn" href="datasources">Back</a>
    </div>
  </form>`
}

export function DataSourceEdit ({ params }) {
  const uid = params[0]
  const isNew = uid === undefined
  const state = useLoad(async () => {
    const ds = isNew ? NEW : await get(`api/datasources/uid/${encodeURIComponent(uid)}`)
    const plugins = await get('api/plugins?type=datasource').catch(() => [])
    // Loaded with the data source so an edit opens with the plugin's fields, not a flash of rows.
    const plugin = plugins.some(p => p.id === ds.type) ? await get(`api/plugins/${encodeURIComponent(ds.type)}/settings`).catch(() => null) : null
    return { ds, plugins, plugin }
  })
  return html`<${Loading} state=${state}>${({ ds, plugins, plugin }) => html`
    <${PageHeader} title=${isNew ? 'New data source' : ds.name}>
      ${isNew
        ? null
        : html`<${ConfirmButton} label="Delete" title="Delete data source"
        message=${`Delete the data source "${ds.name}"? Apps using its proxy routes will get 404.`}
        onConfirm=${async () => { await del(`api/datasources/uid/${encodeURIComponent(ds.uid)}`); navigate('/datasources') }} />`}
    </${PageHeader}>
    ${ds.readOnly ? html`<p class="alert alert-warn">This data source is provisioned and read-only.</p>` : null}
    <${Editor} ds=${ds} isNew=${isNew} plugins=${plugins} plugin=${plugin} />
    ${isNew ? null : html`<${TestPanel} uid=${ds.uid} />`}`}
  </${Loading}>`
}
