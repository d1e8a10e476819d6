// Signing in with the default password "admin": Grafana's "Update your password" step, in real
// headless Chromium.
/// <reference lib="dom" />
import t from 'tap'
import { basic } from '../helpers/build.js'
import { launch, newPage, serve, shot, skip } from '../helpers/browser.js'

const { app, url } = await serve(t)
const browser = skip === false ? await launch(t) : undefined!

t.test('the admin signing in with "admin" is asked for a new password, and gets it', { skip }, async t => {
  const { page, errors } = await newPage(browser)
  await page.goto(`${url}/login`)
  await page.getByLabel('Email or username').fill('admin')
  await page.getByLabel('Password').fill('admin')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Update your password' }).waitFor()
  t.ok(await page.getByRole('button', { name: 'Skip' }).isVisible(), 'it can be skipped')
  await page.getByLabel('New password', { exact: true }).fill('a-better-one')
  await page.getByLabel('Confirm new password').fill('a-typo')
  await page.getByRole('button', { name: 'Submit' }).click()
  t.equal(await page.getByRole('alert').textContent(), 'Passwords do not match')
  await page.getByLabel('Confirm new password').fill('a-better-one')
  await page.getByRole('button', { name: 'Submit' }).click()
  await page.waitForURL(u => !u.pathname.endsWith('/login'))
  await shot(page, 'login-changed-default-password')
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: basic('admin', 'a-better-one') } })).statusCode, 200)
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: basic('admin', 'admin') } })).statusCode, 401)
  t.same(errors, [], 'no script errors')
})
