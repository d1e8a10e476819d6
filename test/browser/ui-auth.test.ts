// The web UI in real headless Chromium: signing in and out, the org switcher, the keyboard, and a
// 390-px phone screen.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import t from 'tap'
import { ADMIN } from '../helpers/build.js'
import { launch, newPage, serve, shot, signIn, skip, unlabelled } from '../helpers/browser.js'

// One server and one browser for the file (each test has its own browser context); the org
// switch runs last because it changes admin's current org.
const { app, url } = await serve(t, { security: { brute_force_login_protection_max_attempts: 3 } })
const browser = skip === false ? await launch(t) : undefined!

t.test('sign in: a wrong password and the lockout show their messages; the right one lands where the browser was going', { skip }, async t => {
  await app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: ADMIN }, payload: { login: 'locky', password: 'password1' } })
  const { page, errors } = await newPage(browser)

  await page.goto(`${url}/org/apikeys`)
  t.equal(new URL(page.url()).pathname, '/login', 'not signed in: sent to the sign-in page')
  await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor()
  t.same(await unlabelled(page), [], 'every input has a label')
  await shot(page, 'login')

  // Keyboard only: the user field has focus, Tab moves to the password, Enter submits.
  t.equal(await page.evaluate(() => document.activeElement?.id), 'login-user')
  await page.keyboard.type('admin')
  await page.keyboard.press('Tab')
  await page.keyboard.type('wrong')
  await page.keyboard.press('Enter')
  t.equal(await page.getByRole('alert').textContent(), 'Invalid username or password')
  await shot(page, 'login-wrong-password')

  for (let i = 0; i < 3; i++) {
    await page.getByLabel('Email or username').fill('locky')
    await page.getByLabel('Password').fill(`nope${i}`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
  }
  await page.getByLabel('Password').fill('password1')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('temporarily blocked').waitFor()
  t.equal(await page.getByRole('alert').textContent(), 'Too many consecutive incorrect login attempts for user - login for user temporarily blocked')
  t.ok(await page.getByText('Failed attempts count for 5 minutes').isVisible(), 'the lockout says how long it lasts')
  await shot(page, 'login-locked')

  await page.getByLabel('Email or username').fill('admin')
  await page.getByLabel('Password').fill('admin')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Skip' }).click()
  await page.waitForURL(`${url}/org/apikeys`)
  await page.getByRole('heading', { name: 'API keys' }).waitFor()
  t.pass('signed in and back on the page the browser asked for')
  t.same(errors, [], 'no script errors')
})

t.test('keyboard: a skip link, visible focus, menu links; the user menu signs out', { skip }, async t => {
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  await page.getByRole('heading', { name: 'Home' }).waitFor()
  await page.keyboard.press('Tab')
  const first = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement
    const style = getComputedStyle(el)
    return { text: el.textContent, outline: style.outlineStyle, width: style.outlineWidth }
  })
  t.same(first, { text: 'Skip to content', outline: 'solid', width: '3px' }, 'the first Tab lands on the skip link, with a visible outline')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('heading', { name: 'Teams' }).waitFor()
  t.equal(new URL(page.url()).pathname, '/org/teams')
  t.equal(await page.getByRole('link', { name: 'Teams' }).getAttribute('aria-current'), 'page')

  await page.locator('.user-menu summary').click()
  await page.getByRole('link', { name: 'Sign out' }).click()
  await page.waitForURL(`${url}/login`)
  t.equal((await page.request.get(`${url}/api/user`)).status(), 401, 'the session is gone')
  t.same(errors, [])
})

t.test('a 390-px screen: no sideways scrolling, the side menu folds behind a Menu button', { skip }, async t => {
  await app.inject({ method: 'POST', url: '/api/datasources', headers: { authorization: ADMIN }, payload: { name: 'A data source with a long name', type: 'x', access: 'proxy', url: 'https://api.example.com/some/rather/long/path' } })
  await app.inject({
    method: 'POST', url: '/api/auth/keys', headers: { authorization: ADMIN }, payload: { name: 'phone-key', role: 'Viewer', secondsToLive: 86400 }
  })
  const { page, errors } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await signIn(page, url)
  const nav = page.getByRole('navigation', { name: 'Main' })
  t.equal(await nav.isVisible(), false, 'the side menu is folded')
  const menu = page.getByRole('button', { name: 'Menu' })
  await menu.click()
  t.equal(await menu.getAttribute('aria-expanded'), 'true')
  t.equal(await nav.isVisible(), true)
  await shot(page, 'narrow-menu')
  await nav.getByRole('link', { name: 'API keys' }).click()
  await page.getByRole('cell', { name: 'phone-key', exact: true }).waitFor()
  t.equal(await nav.isVisible(), false, 'following a link folds the menu again')

  for (const [path, heading] of [['/org/apikeys', 'API keys'], ['/datasources', 'Data sources'], ['/org/serviceaccounts', 'Service accounts'],
    ['/gatehouse/origin-doctor', 'Origin doctor']] as const) {
    await page.goto(`${url}${path}`)
    await page.getByRole('heading', { name: heading, exact: true }).waitFor()
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    t.ok(width <= 390, `${path}: page is ${width}px wide`)
    await shot(page, `narrow${path.replaceAll('/', '-')}`)
  }
  await page.goto(`${url}/datasources`)
  await page.getByRole('link', { name: 'A data source with a long name' }).click()
  await page.getByLabel('Name', { exact: true }).waitFor()
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the data-source form fits')
  await shot(page, 'narrow-datasource-edit')
  t.same(errors, [])
})

t.test('the org switcher moves every page to the chosen org', { skip }, async t => {
  const org2 = (await app.inject({ method: 'POST', url: '/api/orgs', headers: { authorization: ADMIN }, payload: { name: 'Second Org' } })).json().orgId
  await app.inject({ method: 'POST', url: '/api/auth/keys', headers: { authorization: ADMIN }, payload: { name: 'main-key', role: 'Viewer' } })
  await app.inject({
    method: 'POST', url: '/api/auth/keys', headers: { authorization: ADMIN, 'x-grafana-org-id': String(org2) }, payload: { name: 'second-key', role: 'Viewer' }
  })
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  await page.goto(`${url}/org/apikeys`)
  await page.getByRole('cell', { name: 'main-key', exact: true }).waitFor()

  const switcher = page.getByLabel('Organization')
  t.same(await switcher.locator('option').allTextContents(), ['Main Org.', 'Second Org'])
  await switcher.selectOption({ label: 'Second Org' })
  await page.getByRole('cell', { name: 'second-key', exact: true }).waitFor()
  t.equal(await page.getByRole('cell', { name: 'main-key', exact: true }).count(), 0, 'the first org\'s keys are gone')
  t.equal(await switcher.inputValue(), String(org2))
  t.equal((await (await page.request.get(`${url}/api/user`)).json()).orgId, org2, 'the session now acts in org 2')
  await shot(page, 'org-switched')

  await page.reload()
  await page.getByRole('cell', { name: 'second-key', exact: true }).waitFor()
  t.equal(await page.getByLabel('Organization').inputValue(), String(org2), 'and stays there after a reload')
  t.same(errors, [])
})
