// API keys and service-account tokens in real headless Chromium: a new key is shown once with a
// copy button, works, is gone on reload, and is deleted only after a confirmation.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { ADMIN } from '../helpers/build.js'
import { launch, newPage, serve, shot, signIn, skip, unlabelled } from '../helpers/browser.js'

const { app, url } = await serve(t)
const browser = skip === false ? await launch(t) : undefined!
const bearer = (key: string) => app.inject({ url: '/api/org', headers: { authorization: `Bearer ${key}` } })

t.test('an API key: created, shown once with a copy button, used, gone on reload, deleted after confirming', { skip }, async t => {
  await app.inject({
    method: 'POST', url: '/api/auth/keys', headers: { authorization: ADMIN }, payload: { name: 'short-lived', role: 'Viewer', secondsToLive: 1 }
  })
  await sleep(1100)
  const { context, page, errors } = await newPage(browser)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url })
  await signIn(page, url)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click()
  const expiredRow = page.getByRole('row', { name: /short-lived/ })
  await expiredRow.waitFor()
  t.match(await expiredRow.textContent(), /Expired/, 'an expired key is marked')
  t.same(await unlabelled(page), [])

  await page.getByLabel('Name').fill('ci-key')
  await page.getByLabel('Role').selectOption('Editor')
  await page.getByLabel('Time to live').fill('1d')
  await page.getByRole('button', { name: 'Add' }).click()
  const secret = page.getByTestId('new-secret')
  await secret.waitFor()
  const key = await secret.inputValue()
  t.match(JSON.parse(Buffer.from(key, 'base64').toString()), { n: 'ci-key', k: String }, 'the new key is shown')
  t.match(await page.getByText('You will not be able to see').textContent(), /again/, 'with a warning it will not be shown again')
  await shot(page, 'api-key-created')

  await page.getByRole('button', { name: 'Copy' }).click()
  await page.getByText('Copied to the clipboard.').waitFor()
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), key, 'Copy puts the key on the clipboard')
  t.equal((await bearer(key)).statusCode, 200, 'the key works')

  const row = page.getByRole('row', { name: /ci-key/ })
  t.match(await row.textContent(), /ci-keyEditor/, 'listed with its role')
  t.notMatch(await row.textContent(), /Never|Expired/, 'and its expiry date')

  await page.reload()
  await page.getByRole('row', { name: /ci-key/ }).waitFor()
  t.notOk((await page.content()).includes(key), 'after a reload the key appears nowhere on the page')
  t.equal(await page.getByTestId('new-secret').count(), 0)

  // Escape cancels; the key stays.
  await page.getByRole('button', { name: 'Delete API key ci-key' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete API key' })
  await dialog.waitFor()
  t.match(await dialog.textContent(), /Delete the API key "ci-key"\?/)
  await shot(page, 'api-key-delete-confirm')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Delete API key ci-key', 'focus returns to the button')
  t.equal((await bearer(key)).statusCode, 200, 'cancelled: the key still works')

  await page.getByRole('button', { name: 'Delete API key ci-key' }).click()
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await page.getByRole('row', { name: /ci-key/ }).waitFor({ state: 'detached' })
  t.equal((await bearer(key)).statusCode, 401, 'confirmed: the key is refused')
  t.same(errors, [])
})

t.test('a refused create shows the server\'s message', { skip }, async t => {
  await app.inject({ method: 'POST', url: '/api/auth/keys', headers: { authorization: ADMIN }, payload: { name: 'taken', role: 'Viewer' } })
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  await page.goto(`${url}/org/apikeys`)
  await page.getByLabel('Name').fill('taken')
  await page.getByRole('button', { name: 'Add' }).click()
  t.equal(await page.getByRole('alert').textContent(), 'API key, organization ID and name must be unique')
  await page.getByLabel('Name').fill('other')
  await page.getByLabel('Time to live').fill('soon')
  await page.getByRole('button', { name: 'Add' }).click()
  t.match(await page.getByRole('alert').textContent(), /^Time to live must be a number with a unit/)
  t.same(errors, [])
})

t.test('a service account: created, a token shown once and used, disabled, the token deleted', { skip }, async t => {
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  await page.goto(`${url}/org/serviceaccounts`)
  await page.getByLabel('Display name').fill('robot')
  await page.getByLabel('Role').selectOption('Editor')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('heading', { name: 'Service account: robot' }).waitFor()
  t.match(new URL(page.url()).pathname, /^\/org\/serviceaccounts\/\d+$/)
  t.same(await unlabelled(page), [])

  await page.getByLabel('Token name').fill('deploy')
  await page.getByRole('button', { name: 'Generate token' }).click()
  const token = await page.getByTestId('new-secret').inputValue()
  t.match(token, /^glsa_/)
  t.equal((await bearer(token)).statusCode, 200, 'the token works')
  await page.getByRole('button', { name: 'Done' }).click()
  t.equal(await page.getByTestId('new-secret').count(), 0, 'Done hides it for good')
  await page.getByRole('row', { name: /deploy/ }).waitFor()
  await shot(page, 'service-account')

  await page.getByRole('button', { name: 'Disable robot' }).click()
  await page.getByRole('button', { name: 'Enable robot' }).waitFor()
  t.equal((await bearer(token)).statusCode, 401, 'a disabled account\'s token is refused')
  await page.getByRole('button', { name: 'Enable robot' }).click()
  await page.getByRole('button', { name: 'Disable robot' }).waitFor()

  await page.getByRole('button', { name: 'Delete token deploy' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
  await page.getByText('No tokens.').waitFor()
  t.equal((await bearer(token)).statusCode, 401, 'the deleted token is refused')

  await page.getByRole('link', { name: '← All service accounts' }).click()
  const row = page.getByRole('row', { name: /robot/ })
  await row.waitFor()
  t.match(await row.textContent(), /robot.*Editor0Enabled/)
  await shot(page, 'service-accounts')
  t.same(errors, [])
})
