// examples/browser-app, run as its README says: its own server (node server.mjs) on another
// origin, Gatehouse with that origin in [cors] allowed_origins, a signed-in Chromium. The page
// lists dashboards and receives a Live publication; from an unlisted origin it shows the CORS
// error it explains, and the origin doctor lists that origin with the line that would allow it.
import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { ADMIN } from '../helpers/build.js'
import { launch, newPage, serve, shot, signIn, skip } from '../helpers/browser.js'

const SERVER = fileURLToPath(new URL('../../examples/browser-app/server.mjs', import.meta.url))

/** The example's own server on a free port; its origin, read from the line it prints. */
async function exampleServer (t: { teardown: (fn: () => unknown) => void }): Promise<string> {
  const child = spawn(process.execPath, [SERVER, '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { child.kill() })
  const [chunk] = await once(child.stdout, 'data') as [Buffer]
  return /http:\/\/\S+/.exec(chunk.toString())![0]
}

t.test('the browser app lists dashboards and follows Live from a listed origin; an unlisted one sees the explained refusal', { skip }, async t => {
  const listed = await exampleServer(t)
  const unlisted = await exampleServer(t)
  t.not(listed, unlisted)
  const { app, url: gatehouse } = await serve(t, { cors: { allowed_origins: listed } })
  await app.inject({ method: 'POST', url: '/api/dashboards/db', headers: { authorization: ADMIN }, payload: { dashboard: { title: 'Shown in the app' } } })

  const browser = await launch(t)
  const { page, errors } = await newPage(browser)
  await signIn(page, gatehouse)

  await page.goto(`${listed}/?gatehouse=${encodeURIComponent(gatehouse)}`)
  await page.locator('#dashboards li').first().waitFor()
  t.same(await page.locator('#dashboards li').allTextContents(), ['Shown in the app'], 'the dashboards list arrives through CORS')
  await page.getByText('Subscribed.').waitFor()
  const res = await app.inject({
    method: 'POST',
    url: '/api/live/publish',
    headers: { authorization: ADMIN },
    payload: { channel: 'grafana/broadcast/browser-app', data: { hello: 'browser' } }
  })
  t.equal(res.statusCode, 200)
  await page.locator('#messages li').first().waitFor()
  t.same(await page.locator('#messages li').allTextContents(), ['{"hello":"browser"}'], 'a Live publication arrives in the page')
  await shot(page, 'browser-app-listed')
  t.same(errors, [])

  await page.goto(`${unlisted}/?gatehouse=${encodeURIComponent(gatehouse)}`)
  await page.locator('#dashboards.error').waitFor()
  const shown = await page.locator('#dashboards').textContent()
  t.match(shown, 'Blocked by CORS policy')
  t.match(shown, `[cors] allowed_origins = ${unlisted}`, 'the page says which line would allow it')
  await page.locator('#live-status.error').waitFor()
  t.match(await page.locator('#live-status').textContent(), /The Live websocket was refused \(close code 1006\)/)
  await shot(page, 'browser-app-unlisted')

  await page.goto(`${gatehouse}/gatehouse/origin-doctor`)
  const group = page.locator(`[data-origin="${unlisted}"]`)
  await group.waitFor()
  const text = (await group.textContent())!
  t.match(text, 'CORS', 'the doctor lists the refused origin')
  t.match(text, 'cors-not-listed')
  t.match(await page.getByLabel(`Lines that allow ${unlisted}`).textContent(), `GF_CORS_ALLOWED_ORIGINS="${listed}, ${unlisted}"`)
  t.equal(await page.locator(`[data-origin="${listed}"]`).count(), 0, 'the listed origin was never refused')
  await shot(page, 'origin-doctor-refusals')
})
