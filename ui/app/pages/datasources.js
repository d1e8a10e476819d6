// Data sources of the current org.
import { html } from '../html.js'
import { get } from '../api.js'
import { Loading, PageHeader, useLoad } from '../components.js'

export function DataSources () {
  const list = useLoad(() => get('api/datasources'))
  return html`<${PageHeader} title="Data sources"><a class="btn btn-primary" href="datasources/new">Add data source</a></${PageHeader}>
    <p class="muted">The server calls these APIs for the browser through <code>
      /api/datasources/proxy/…</code>; their secrets are encrypted and never sent back.</p>
    <${Loading} state=${list}>${rows => rows.length === 0
      ? html`<p>No data sources yet.</p>`
      : html`<div class="table-wrap"><table>
          <caption class="sr-only">Data sources</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">URL</th><th scope="col">Access</th></tr></thead>
          <tbody>${rows.map(ds => html`<tr key=${ds.id}>
            <td><a href=${`datasources/edit/${encodeURIComponent(ds.uid)}`}>${ds.name}</a> ${ds.isDefault ? html`<span class="badge">default</span>` : null} ${
              ds.readOnly ? html`<span class="badge">provisioned</span>` : null
            }</td>
            <td>${ds.typeName}</td>
            <td class="mono break">${ds.url}</td>
            <td>${ds.access}</td>
          </tr>`)}</tbody>
        </table></div>`}
    </${Loading}>`
}
