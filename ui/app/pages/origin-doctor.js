// Origin doctor: would a page on this origin pass CORS, CSRF and Live with the running config,
// which rule decides, and the ini / GF_ lines that would let it through; below, the origins this
// instance refused (or, report-only, would have refused) lately, each with its lines.
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { get } from '../api.js'
import { ErrorMessage, Field, Loading, PageHeader, formatDate, useLoad, useSubmit } from '../components.js'

const CHECKS = [
  ['cors', 'CORS', 'fetch/XHR from that origin can read answers'],
  ['csrf', 'CSRF', 'requests with the session cookie from that origin are accepted'],
  ['live', 'Live', 'the Live websocket accepts that origin']
]

export function OriginDoctor () {
  const [origin, setOrigin] = useState(location.origin)
  const [report, setReport] = useState(undefined)
  const [copied, setCopied] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    setReport(undefined)
    setCopied('')
    setReport(await get(`api/gatehouse/origin-check?origin=${encodeURIComponent(origin)}`))
  })
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(report.config.join('\n'))
      setCopied('Copied.')
    } catch { setCopied('Copying failed: select the lines and copy them.') }
  }
  return html`<${PageHeader} title="Origin doctor" />
    <p class="muted">A browser app on another origin sees <q>blocked by CORS policy</q> or <q>
      origin not allowed</q> until that origin is listed. Paste the app's origin (or any URL of it) to see what the running configuration decides.</p>
    <form class="panel form-row" onSubmit=${submit}>
      <${Field} id="doctor-origin" label="Origin" hint="scheme://host[:port], as the browser sends it in the Origin header.">
        <input id="doctor-origin" required value=${origin} aria-describedby="doctor-origin-hint" onInput=${e => setOrigin(e.currentTarget.value)} />
      </${Field}>
      <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Check</button></div>
    </form>
    <${ErrorMessage} error=${error} />
    ${report
      ? html`<section class="panel" aria-labelledby="doctor-result" data-testid="doctor-result">
      <h2 id="doctor-result">Verdict for <code>${report.origin}</code></h2>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Check</th><th scope="col">Verdict</th><th scope="col">Rule</th></tr></thead>
        <tbody>${CHECKS.map(([key, label, what]) => {
          const v = report[key]
          return html`<tr data-check=${key}>
            <th scope="row">${label}<br /><span class="muted small">${what}</span></th>
            <td>${v.allowed ? html`<span class="badge badge-ok">Allowed</span>` : html`<span class="badge badge-error">Refused</span>`}</td>
            <td>${v.rule}</td>
          </tr>`
        })}</tbody>
      </table></div>
      ${report.config.length === 0
        ? html`<p>Nothing to change for this origin.</p>`
        : html`<h3>Add to your configuration</h3>
          <p class="muted">Either the ini lines (in your custom ini) or the environment variables; restart to apply.</p>
          <pre class="config" tabindex="0" aria-label="Configuration lines"><code>${report.config.join('\n')}</code></pre>
          <button type="button" class="btn" onClick=${copy}>Copy lines</button> <span role="status" class="muted">${copied}</span>`}
    </section>`
        : null}
    <${RecentRefusals} />`
}

const MODE = { enforced: 'refused', reported: 'would be refused (report-only)' }

function RecentRefusals () {
  const refusals = useLoad(() => get('api/gatehouse/origin-refusals'))
  return html`<section class="panel" aria-labelledby="refusals-title" data-testid="refusals">
    <h2 id="refusals-title">Recent refusals</h2>
    <p class="muted">The last 500 requests this instance refused, or would refuse with a report-only rule, grouped by origin. <button type="button" class="btn"
      onClick=${refusals.reload}>Refresh</button></p>
    <${Loading} state=${refusals}>${data => data.origins.length === 0
      ? html`<p>No refusals since this instance started.</p>`
      : data.origins.map(o => html`<article class="refusal-origin" data-origin=${o.origin}>
          <h3><code>${o.origin}</code> <span class="muted small">
            ${o.count} × ${o.surfaces.join(', ')}, last ${formatDate(o.last)}${o.reportedOnly ? ' (report-only)' : ''}</span></h3>
          <div class="table-wrap"><table>
            <caption class="sr-only">Refusals of ${o.origin}</caption>
            <thead><tr>
              <th scope="col">Time</th><th scope="col">Check</th><th scope="col">Request</th><th scope="col">Rule</th><th scope="col">Outcome</th>
            </tr></thead>
            <tbody>${data.refusals.filter(r => r.origin === o.origin).slice(0, 20).map(r => html`<tr>
              <td>${formatDate(r.time)}</td><td>${r.surface.toUpperCase()}</td><td><code>${r.method} ${r.path}</code></td>
              <td><code>${r.rule}</code></td><td>${MODE[r.mode]}</td>
            </tr>`)}</tbody>
          </table></div>
          ${o.config.length === 0
            ? html`<p class="muted">No configuration allows this origin (it is not an origin a browser page can have).</p>`
            : html`<pre class="config" tabindex="0" aria-label=${`Lines that allow ${o.origin}`}><code>${o.config.join('\n')}</code></pre>`}
        </article>`)}</${Loading}>
  </section>`
}
