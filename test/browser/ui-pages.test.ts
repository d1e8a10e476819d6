// Teams and the origin doctor in real headless Chromium, and a look at every page at 1280×800:
// labelled inputs, no script errors, a screenshot each under test/artifacts/.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import t from 'tap'
import { ADMIN } from '../helpers/build.js'
import { launch, newPage, serve, shot, signIn, skip, unlabelled } from '../helpers/browser.js'

const ALLOWED = 'https://app.example.com'
const { app, url } = await serve(t, { cors: { allowed_origins: ALLOWED } })
const browser = skip === false ? await launch(t) : undefined!

t.test('teams: create, add and remove a member, add and remove an external group', { skip }, async t => {
  await app.inject({
    method: 'POST', url: '/api/admin/users', headers: { authorization: ADMIN }, payload: { login: 'carol', email: 'carol@example.com', password: 'password1' }
  })
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  await page.goto(`${url}/org/teams`)
  await page.getByLabel('Name').fill('Ops')
  await page.getByLabel('Email (optional)').fill('ops@example.com')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('heading', { name: 'Team: Ops' }).waitFor()
  t.same(await unlabelled(page), [])

  await page.getByLabel('Add member').selectOption({ label: 'carol (carol@example.com)' })
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await page.getByRole('cell', { name: 'carol', exact: true }).waitFor()
  await page.getByLabel('Group', { exact: true }).fill('cn=ops,ou=groups')
  await page.getByRole('button', { name: 'Add group' }).click()
  await page.getByText('cn=ops,ou=groups', { exact: true }).waitFor()
  const teamId = Number(new URL(page.url()).pathname.split('/').pop())
  t.same((await app.inject({ url: `/api/teams/${teamId}/groups`, headers: { authorization: ADMIN } })).json(),
    [{ orgId: 1, teamId, groupId: 'cn=ops,ou=groups' }])
  await shot(page, 'team')

  await page.getByLabel('Group', { exact: true }).fill('cn=ops,ou=groups')
  await page.getByRole('button', { name: 'Add group' }).click()
  t.match(await page.getByRole('alert').textContent(), /\S/, 'a duplicate group shows the server\'s message')

  await page.getByRole('button', { name: 'Remove group cn=ops,ou=groups' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click()
  await page.getByText('No external groups.').waitFor()
  await page.getByRole('button', { name: 'Remove carol from the team' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click()
  await page.getByText('No members.').waitFor()
  t.same((await app.inject({ url: `/api/teams/${teamId}/members`, headers: { authorization: ADMIN } })).json(), [])

  await page.getByRole('link', { name: '← All teams' }).click()
  t.match(await page.getByRole('row', { name: /Ops/ }).textContent(), /Opsops@example\.com0/)
  await shot(page, 'teams')
  t.same(errors, [])
})

t.test('origin doctor: the page\'s own origin, an allowed origin and a refused one with the lines to add', { skip }, async t => {
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  await page.goto(`${url}/gatehouse/origin-doctor`)
  const input = page.getByLabel('Origin', { exact: true })
  t.equal(await input.inputValue(), url, 'defaults to the browser\'s own origin')
  const verdict = async (check: string) => (await page.locator(`tr[data-check="${check}"]`).textContent())!
  const run = async (origin: string) => {
    await input.fill(origin)
    await page.getByRole('button', { name: 'Check' }).click()
    await page.getByRole('heading', { name: `Verdict for ${origin}` }).waitFor()
  }

  await page.getByRole('button', { name: 'Check' }).click()
  await page.getByRole('heading', { name: `Verdict for ${url}` }).waitFor()
  t.match(await verdict('cors'), /Allowed.*same origin/)
  t.match(await verdict('csrf'), /Allowed/)

  await run(ALLOWED)
  t.match(await verdict('cors'), /AllowedAllowed by \[cors\] allowed_origins|Allowed.*allowed_origins/)
  t.match(await verdict('csrf'), /Allowed/)
  t.match(await verdict('live'), /Allowed/)
  await shot(page, 'origin-doctor-allowed')

  await run('https://other.example.org')
  t.match(await verdict('cors'), /Refused/)
  t.match(await verdict('csrf'), /Refused/)
  t.match(await verdict('live'), /Refused/)
  const lines = await page.getByLabel('Configuration lines').textContent()
  t.match(lines, `[cors] allowed_origins = ${ALLOWED}, https://other.example.org`)
  t.match(lines, `GF_CORS_ALLOWED_ORIGINS="${ALLOWED}, https://other.example.org"`)
  await shot(page, 'origin-doctor-refused')

  await input.fill('not an origin')
  await page.getByRole('button', { name: 'Check' }).click()
  t.equal(await page.getByRole('alert').textContent(), 'origin must be an origin such as https://app.example.com')
  t.same(errors, [])
})

t.test('every page renders at 1280×800 with labelled inputs and no script errors', { skip }, async t => {
  const { page, errors } = await newPage(browser)
  await signIn(page, url)
  const pages: Array<[string, string]> = [
    ['/', 'Home'], ['/profile', 'Profile'], ['/datasources', 'Data sources'], ['/datasources/new', 'New data source'],
    ['/org/apikeys', 'API keys'], ['/org/serviceaccounts', 'Service accounts'], ['/org/teams', 'Teams'], ['/gatehouse/origin-doctor', 'Origin doctor'],
    ['/org/nothing-here', 'Page not found']
  ]
  for (const [path, heading] of pages) {
    await page.goto(`${url}${path}`)
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
    t.same(await unlabelled(page), [], `${path}: every input has a label`)
    t.equal(await page.evaluate(() => document.documentElement.scrollWidth), 1280, `${path}: no sideways scrolling`)
    await shot(page, `page${path === '/' ? '-home' : path.replaceAll('/', '-')}`)
  }
  t.same(errors, [])
})

t.test('a Viewer sees the home page only; admin pages say why', { skip }, async t => {
  await app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: ADMIN }, payload: { login: 'vic', password: 'password1' } })
  const { page, errors } = await newPage(browser)
  await signIn(page, url, 'vic', 'password1')
  await page.getByRole('heading', { name: 'Home' }).waitFor()
  t.same(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents(), ['Home'])
  await page.goto(`${url}/org/apikeys`)
  t.equal(await page.getByRole('alert').textContent(), 'This page needs the Admin role in Main Org.; you are a Viewer.')
  t.same(errors, [])
})

t.test('served from a sub path: sign-in, links, files and API calls all stay under it', { skip }, async t => {
  const sub = await serve(t, { server: { root_url: 'http://localhost:3000/grafana/', serve_from_sub_path: true } }, '/grafana')
  await sub.app.inject({ method: 'POST', url: '/grafana/api/auth/keys', headers: { authorization: ADMIN }, payload: { name: 'sub-key', role: 'Viewer' } })
  const { page, errors } = await newPage(browser)
  const requested: string[] = []
  page.on('request', req => requested.push(new URL(req.url()).pathname))
  await page.goto(`${sub.url}/org/apikeys`)
  t.equal(new URL(page.url()).pathname, '/grafana/login')
  await page.getByLabel('Email or username').fill('admin')
  await page.getByLabel('Password').fill('admin')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Skip' }).click()
  await page.waitForURL(`${sub.url}/org/apikeys`)
  await page.getByRole('cell', { name: 'sub-key', exact: true }).waitFor()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click()
  await page.getByRole('heading', { name: 'Teams' }).waitFor()
  t.equal(new URL(page.url()).pathname, '/grafana/org/teams')
  t.same(requested.filter(p => !p.startsWith('/grafana/')), [], 'every request went under /grafana/')
  t.ok(requested.includes('/grafana/public/vendor/preact.mjs') && requested.includes('/grafana/api/teams/search'))
  await shot(page, 'sub-path-teams')
  t.same(errors, [])
})
