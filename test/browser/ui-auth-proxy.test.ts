// Behind the auth proxy the browser arrives signed in: no sign-in page, the shell shows the user
// the proxy named, and /login itself sends the browser on.
/// <reference lib="dom" />
import t from 'tap'
import { launch, newPage, serve, shot, skip } from '../helpers/browser.js'

t.test('with [auth.proxy] on, a browser whose proxy sends X-WEBAUTH-USER lands signed in as that user', { skip }, async t => {
  const { url } = await serve(t, { 'auth.proxy': { enabled: true, whitelist: '127.0.0.1', auto_sign_up: true } })
  const browser = await launch(t)
  const { page, errors } = await newPage(browser, { extraHTTPHeaders: { 'X-WEBAUTH-USER': 'alice' } })

  await page.goto(`${url}/`)
  await page.locator('header summary').waitFor()
  t.match(await page.locator('header').innerText(), /Signed in as\s+alice/, 'the shell shows the user the proxy named')
  t.equal(new URL(page.url()).pathname, '/', 'no detour through the sign-in page')
  t.equal((await (await page.request.get(`${url}/api/user`)).json()).login, 'alice', 'the API sees alice too')
  await page.goto(`${url}/login`)
  t.not(new URL(page.url()).pathname, '/login', '/login sends a signed-in browser on')
  await shot(page, 'auth-proxy-home')
  t.same(errors, [])
})
