// Small building blocks shared by the pages: fields with labels, error and status messages,
// a confirmation dialog, the shown-once secret panel, and data loading.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { html } from './html.js'

let nextId = 0
/** A stable id for label/input pairs. */
export function useId (prefix = 'f') {
  const ref = useRef(null)
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`
  return ref.current
}

/** Loads data with `fn`; `reload()` runs it again. */
export function useLoad (fn, deps = []) {
  const [state, setState] = useState({ loading: true, data: undefined, error: undefined })
  const run = useCallback(async () => {
    setState(s => ({ ...s, loading: true }))
    try {
      setState({ loading: false, data: await fn(), error: undefined })
    } catch (error) {
      setState({ loading: false, data: undefined, error })
    }
  }, deps)
  useEffect(() => { run() }, [run])
  return { ...state, reload: run }
}

export function ErrorMessage ({ error }) {
  if (!error) return null
  return html`<p class="alert alert-error" role="alert">${typeof error === 'string' ? error : error.message}</p>`
}

export function Status ({ children }) {
  return html`<p class="alert alert-ok" role="status">${children}</p>`
}

/** What a page shows while loading or when its data could not be read. */
export function Loading ({ state, children }) {
  if (state.error) return html`<${ErrorMessage} error=${state.error} />`
  if (state.data === undefined) return html`<p class="muted" aria-live="polite">Loading…</p>`
  const render = Array.isArray(children) ? children.find(c => typeof c === 'function') : children
  return render(state.data)
}

export function Field ({ id, label, hint, children }) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${children}
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
  </div>`
}

export function RoleSelect ({ id, value, onChange, label = 'Role' }) {
  return html`<${Field} id=${id} label=${label}>
    <select id=${id} value=${value} onChange=${e => onChange(e.currentTarget.value)}>
      ${['Viewer', 'Editor', 'Admin'].map(r => html`<option value=${r} selected=${r === value}>${r}</option>`)}
    </select>
  </${Field}>`
}

/** A form whose submit shows the error response's message and disables the button while busy. */
export function useSubmit (action) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(undefined)
  const submit = async event => {
    event?.preventDefault()
    if (busy) return
    setBusy(true)
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, setError, submit }
}

/**
 * A button that asks first: a modal <dialog> (focus moves into it, Escape cancels, focus returns).
 * The dialog shows the error message if the action fails.
 */
export function ConfirmButton ({ label, title, message, confirmLabel = 'Delete', onConfirm, className = 'btn btn-danger', ariaLabel }) {
  const [open, setOpen] = useState(false)
  const trigger = useRef(null)
  // Focus goes back to the button once the modal dialog is gone (while it is open the rest is inert).
  const close = () => { setOpen(false); setTimeout(() => trigger.current?.focus(), 0) }
  return html`
    <button type="button" class=${className} ref=${trigger} aria-label=${ariaLabel} onClick=${() => setOpen(true)}>${label}</button>
    ${open
      ? html`<${ConfirmDialog} title=${title} message=${message} confirmLabel=${confirmLabel} onCancel=${close}
      onConfirm=${async () => { await onConfirm(); setOpen(false) }} />`
      : null}`
}

function ConfirmDialog ({ title, message, confirmLabel, onConfirm, onCancel }) {
  const ref = useRef(null)
  const titleId = useId('dlg')
  const { busy, error, submit } = useSubmit(onConfirm)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    return () => { if (d?.open) d.close() }
  }, [])
  return html`<dialog ref=${ref} class="dialog" aria-labelledby=${titleId} onCancel=${e => { e.preventDefault(); onCancel() }}>
    <form method="dialog" onSubmit=${submit}>
      <h2 id=${titleId}>${title}</h2>
      <p>${message}</p>
      <${ErrorMessage} error=${error} />
      <div class="actions">
        <button type="button" class="btn" onClick=${onCancel}>Cancel</button>
        <button type="submit" class="btn btn-danger" disabled=${busy}>${busy ? 'Working…' : confirmLabel}</button>
      </div>
    </form>
  </dialog>`
}

/** A new key or token: shown this once, with a copy button. */
export function SecretOnce ({ title, name, value, onDone }) {
  const id = useId('secret')
  const input = useRef(null)
  const [copied, setCopied] = useState('')
  useEffect(() => { input.current?.focus(); input.current?.select() }, [])
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied('Copied to the clipboard.')
    } catch {
      input.current?.select()
      setCopied(document.execCommand('copy') ? 'Copied to the clipboard.' : 'Copying failed: select the text and copy it yourself.')
    }
  }
  return html`<section class="panel secret-once" aria-labelledby=${`${id}-title`}>
    <h2 id=${`${id}-title`}>${title}</h2>
    <p class="alert alert-warn">
      <strong>Copy it now.</strong> You will not be able to see ${name ? html`<q>${name}</q>` : 'it'} again: Gatehouse keeps only a hash.</p>
    <div class="field">
      <label for=${id}>Key</label>
      <div class="inline">
        <input id=${id} ref=${input} class="mono" readonly value=${value} data-testid="new-secret" />
        <button type="button" class="btn btn-primary" onClick=${copy}>Copy</button>
      </div>
    </div>
    <p role="status" class="muted">${copied}</p>
    <button type="button" class="btn" onClick=${onDone}>Done</button>
  </section>`
}

/** "1d", "12h", "30m", "45s", "2w", "1y" → seconds; "" → null (never expires). */
export function parseDuration (text) {
  const t = text.trim()
  if (t === '') return null
  const m = /^(\d+)\s*([smhdwy]?)$/i.exec(t)
  if (!m) throw new Error('Time to live must be a number with a unit: 45s, 30m, 12h, 1d, 2w or 1y')
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2].toLowerCase()]
  const seconds = Number(m[1]) * unit
  if (seconds <= 0) throw new Error('Time to live must be more than zero')
  return seconds
}

export function formatDate (iso) {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function PageHeader ({ title, children }) {
  useEffect(() => { document.title = `${title} · Gatehouse` }, [title])
  return html`<div class="page-header"><h1>${title}</h1>${children ? html`<div class="page-header-actions">${children}</div>` : null}</div>`
}
