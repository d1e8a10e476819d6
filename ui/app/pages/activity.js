/* global ResizeObserver */
// Activity: the last 15 minutes at a glance, per minute, drawn with uPlot (the chart library
// Grafana uses) and refreshed every 10 seconds: proxied requests per data source by status class
// with p50/p99 latency, token-endpoint failures, Live connections and publications, and origin
// refusals per surface. The numbers come from GET /api/gatehouse/activity.
import uPlot from 'uplot'
import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../html.js'
import { get } from '../api.js'
import { ErrorMessage, PageHeader } from '../components.js'

const POLL_MS = 10_000
const COLORS = { '1xx': '#5b6270', '2xx': '#1a7f4b', '3xx': '#2f5fc4', '4xx': '#8a5a00', '5xx': '#c4314b' }
const sum = xs => xs.reduce((a, b) => a + (b ?? 0), 0)

// uPlot's stylesheet, once: the shell only loads ours.
function useUplotStyles () {
  useEffect(() => {
    if (document.querySelector('link[data-uplot]')) return
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = 'public/vendor/uplot.css'
    link.dataset.uplot = ''
    document.head.append(link)
  }, [])
}

/** One uPlot chart: `series` are [label, color, values]; x is the minutes. */
function Chart ({ name, title, unit, minutes, series, summary }) {
  const box = useRef(null)
  const plot = useRef(null)
  const data = [minutes, ...series.map(s => s[2])]
  useEffect(() => {
    const el = box.current
    // eslint-disable-next-line new-cap -- uPlot is the library's own (lowercase) class name
    plot.current = new uPlot({
      width: Math.max(el.clientWidth, 240),
      height: 170,
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, 1)] } },
      series: [{}, ...series.map(([label, stroke]) => ({ label, stroke, width: 2, points: { show: true, size: 5 } }))],
      axes: [{}, { label: unit, size: 60 }],
      legend: { live: true }
    }, data, el)
    // Tests and the curious read the chart's data from its element.
    el.uplot = plot.current
    const resize = new ResizeObserver(() => { plot.current.setSize({ width: Math.max(el.clientWidth, 240), height: 170 }) })
    resize.observe(el)
    return () => { resize.disconnect(); plot.current.destroy() }
  }, [])
  useEffect(() => { plot.current?.setData(data) }, [JSON.stringify(data)])
  return html`<figure class="chart">
    <figcaption><strong>${title}</strong> <span class="muted small">${summary}</span></figcaption>
    <div ref=${box} class="chart-box" data-chart=${name} role="img" aria-label=${`${title}: ${summary}`}></div>
  </figure>`
}

function DataSourcePanel ({ ds, minutes }) {
  const classes = Object.keys(ds.requests).filter(c => c === '2xx' || sum(ds.requests[c]) > 0)
  const total = sum(Object.values(ds.requests).map(sum))
  const errors = sum(ds.requests['5xx'])
  const failures = sum(ds.tokenFailures)
  return html`<section class="panel" aria-label=${`Data source ${ds.name}`} data-datasource=${ds.uid}>
    <h2><a href=${`datasources/edit/${encodeURIComponent(ds.uid)}`}>${ds.name}</a></h2>
    <div class="chart-row">
      <${Chart} name=${`requests-${ds.uid}`} title="Requests per minute" unit="requests" minutes=${minutes}
        series=${classes.map(c => [c, COLORS[c], ds.requests[c]])}
        summary=${`${total} in 15 min, ${errors} answered 5xx${failures > 0 ? `, ${failures} token failures` : ''}`} />
      <${Chart} name=${`latency-${ds.uid}`} title="Latency" unit="ms" minutes=${minutes}
        series=${[['p50', '#2f5fc4', ds.p50Ms], ['p99', '#c4314b', ds.p99Ms]]}
        summary=${`p99 now ${ds.p99Ms.at(-1) ?? '–'} ms`} />
    </div>
  </section>`
}

export function Activity () {
  useUplotStyles()
  const [data, setData] = useState(undefined)
  const [error, setError] = useState(undefined)
  const [updated, setUpdated] = useState('')
  useEffect(() => {
    let stopped = false
    const load = async () => {
      try {
        const next = await get('api/gatehouse/activity')
        if (stopped) return
        setData(next)
        setError(undefined)
        setUpdated(new Date().toLocaleTimeString())
      } catch (err) {
        if (!stopped) setError(err)
      }
    }
    load()
    const timer = setInterval(load, POLL_MS)
    return () => { stopped = true; clearInterval(timer) }
  }, [])

  const header = html`<${PageHeader} title="Activity"><span class="muted small" role="status">${updated ? `Updated ${updated}` : ''}</span></${PageHeader}>`
  if (data === undefined) return html`${header}<${ErrorMessage} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}`
  const { minutes, live, originRefusals } = data
  return html`${header}
    <p class="muted">The last 15 minutes, per minute, on this Gatehouse instance (the current minute is still counting). Refreshed every 10 seconds.</p>
    <${ErrorMessage} error=${error} />
    ${data.datasources.length === 0
      ? html`<p class="panel">No requests went through the data-source proxy in the last 15 minutes.</p>`
      : data.datasources.map(ds => html`<${DataSourcePanel} key=${ds.uid} ds=${ds} minutes=${minutes} />`)}
    <section class="panel" aria-label="Token endpoints, Live and origins">
      <h2>Token endpoints, Live and origins</h2>
      <div class="chart-row">
        <${Chart} name="token-failures" title="Token-endpoint failures" unit="failures" minutes=${minutes}
          series=${[['failures', '#c4314b', data.tokenFailures]]} summary=${`${sum(data.tokenFailures)} in 15 min`} />
        <${Chart} name="live" title="Live" unit="per minute" minutes=${minutes}
          series=${[['connections', '#2f5fc4', live.connections], ['publications', '#1a7f4b', live.publications]]}
          summary=${`${live.connections.at(-1) ?? 0} connected, ${sum(live.publications)} publications in 15 min`} />
        <${Chart} name="origin-refusals" title="Origin refusals" unit="refusals" minutes=${minutes}
          series=${[['CORS', '#8a5a00', originRefusals.cors], ['CSRF', '#c4314b', originRefusals.csrf], ['Live', '#2f5fc4', originRefusals.live]]}
          summary=${`${sum(originRefusals.cors)} CORS, ${sum(originRefusals.csrf)} CSRF, ${sum(originRefusals.live)} Live in 15 min`} />
      </div>
      <p class="muted small">Refused origins: see the <a href="gatehouse/origin-doctor">Origin doctor</a> for why and the line that lets one through.</p>
    </section>`
}
