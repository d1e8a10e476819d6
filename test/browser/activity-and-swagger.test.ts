// The activity page and /swagger in real headless Chromium: after traffic the charts are drawn
// with data; the API reference loads from this server only, under its own CSP, without errors.
// Screenshots under test/artifacts/.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import t from 'tap'
import { ADMIN } from '../helpers/build.js'
import { launch, newPage, serve, shot, signIn, skip } from '../helpers/browser.js'
import { createDataSource, upstream } from '../helpers/datasources.js'

const { app, url } = await serve(t)
const browser = skip === false ? await launch(t) : undefined!

t.test('activity: after proxied traffic, a Live publication and an origin refusal, the charts show them', { skip }, async t => {
  const prom = await upstream(t, (req, res) => { res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' }); res.end('{}') })
  const ds = await createDataSource(app, { name: 'Prometheus', type: 'prometheus', url: prom.url })
  const call = (path: string) => fetch(`${url}/api/datasources/proxy/uid/${ds.uid}${path}`, { headers: { authorization: ADMIN } })
  for (let i = 0; i < 5; i++) await call('/api/v1/query')
  await call('/fail')
  await fetch(`${url}/api/live/publish`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'grafana/broadcast/activity', data: {} })
  })

  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  // A cookie request from a foreign origin: refused by CSRF.
  const session = (await page.context().cookies()).find(c => c.name === 'grafana_session')!.value
  await fetch(`${url}/api/org`, { headers: { cookie: `grafana_session=${session}`, origin: 'https://evil.example' } })

  await page.getByRole('link', { name: 'Activity' }).click()
  await page.getByRole('heading', { name: 'Activity' }).waitFor()
  await page.locator(`[data-chart="requests-${ds.uid}"] canvas`).waitFor()
  const charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement & {
    uplot: { data: Array<Array<number | null>>, series: Array<{ label?: string }> }
  }>('[data-chart]')].map(el => {
    const canvas = el.querySelector('canvas')!
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
    let painted = 0
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
    const u = el.uplot
    return [el.dataset.chart, {
      points: u.data[0]!.length,
      totals: Object.fromEntries(u.series.slice(1).map((s, i) => [s.label, u.data[i + 1]!.reduce<number>((a, b) => a + (b ?? 0), 0)])),
      painted
    }]
  })))
  const requests = charts[`requests-${ds.uid}`]
  t.equal(requests.points, 15, 'one point per minute of the window')
  t.same({ ok: requests.totals['2xx'], failed: requests.totals['5xx'] }, { ok: 5, failed: 1 }, 'requests by status class')
  t.ok(requests.painted > 500, 'the requests chart is drawn')
  t.ok(charts[`latency-${ds.uid}`].totals.p50 > 0 && charts[`latency-${ds.uid}`].painted > 500, 'latency is drawn')
  t.equal(charts.live.totals.publications, 1)
  t.equal(charts['origin-refusals'].totals.CSRF, 1)
  t.ok(charts['origin-refusals'].painted > 500)
  t.match(await page.getByText(/6 in 15 min, 1 answered 5xx/).textContent(), /6 in 15 min/, 'the summary line says it in words')
  t.same(errors, [])
  await shot(page, 'activity')
})

t.test('/swagger shows the API from this server only, with no errors, linked from the user menu', { skip }, async t => {
  const { page, errors } = await newPage(browser)
  const requested: string[] = []
  page.on('request', r => { requested.push(r.url()) })
  await signIn(page, url)
  await page.locator('.user-menu summary').click()
  await page.getByRole('link', { name: 'API reference' }).click()
  // Swagger UI's 1.5 MB bundle takes a while to parse on a busy 2-core machine.
  await page.locator('.opblock').first().waitFor({ timeout: 60_000 })
  t.equal(new URL(page.url()).pathname, '/swagger')
  t.ok(await page.locator('.opblock').count() > 50, 'the operations are listed')
  await page.getByText('/api/gatehouse/activity').first().waitFor()
  t.match(await page.getByText('Gatehouse HTTP API').first().textContent(), /Gatehouse HTTP API/)
  t.same(requested.filter(u => !u.startsWith(url) && !u.startsWith('data:')), [], 'nothing is fetched from elsewhere (no CDN, no validator badge)')
  t.same(errors, [], 'no script error, no CSP violation')
  await shot(page, 'swagger')
})
