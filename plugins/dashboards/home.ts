// The built-in home dashboard Grafana serves when an org has chosen none.
export const HOME_DASHBOARD = {
  annotations: { list: [] },
  editable: false,
  panels: [{
    id: 1,
    type: 'text',
    title: 'Welcome to Gatehouse',
    gridPos: { h: 4, w: 24, x: 0, y: 0 },
    options: { mode: 'markdown', content: 'Grafana-compatible API gateway: see `/api/search` for dashboards.' }
  }],
  schemaVersion: 39,
  tags: [] as string[],
  time: { from: 'now-6h', to: 'now' },
  timezone: 'browser',
  title: 'Home',
  uid: '',
  version: 0
}
