// The web UI's server side: the shell page, the sign-in page, the files under /public/, the
// sub path, and that nothing the browser loads points off this server.
import t from 'tap'
import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, sessionCookie, type App } from '../helpers/build.js'
import { rawGet } from '../helpers/datasources.js'
import { VENDOR } from '../../plugins/ui/assets.js'

const UI = fileURLToPath(new URL('../../ui/', import.meta.url))
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

const signIn = async (app: App, url = '/login') =>
  sessionCookie(await app.inject({ method: 'POST', url, payload: { user: 'admin', password: 'admin' } }))!

// One app for the tests on the default config (each variant config builds its own).
const { app } = await build(t)

function uiFiles (dir = UI): string[] {
  return readdirSync(dir).flatMap(name => statSync(join(dir, name)).isDirectory()
    ? uiFiles(join(dir, name))
    : [relative(UI, join(dir, name)).split(sep).join('/')])
}

t.test('a signed-in browser gets the app shell on every page route', async t => {
  const cookie = await signIn(app)
  for (const url of ['/', '/org/apikeys', '/org/serviceaccounts/3', '/datasources', '/datasources/edit/abc', '/org/teams/edit/1/members',
    '/gatehouse/origin-doctor', '/profile']) {
    const res = await app.inject({ url, headers: HTML, cookies: { grafana_session: cookie } })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8', url)
    t.equal(res.headers['cache-control'], 'no-store')
    t.match(res.body, /<base href="\/">/)
    t.match(res.body, /<script type="module" src="public\/app\/main\.js"><\/script>/)
  }
})

t.test('a browser that is not signed in goes to /login and comes back after signing in', async t => {
  const res = await app.inject({ url: '/org/apikeys?x=1', headers: HTML })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/login')
  const redirect = res.cookies.find(c => c.name === 'redirect_to')!
  t.equal(redirect.value, '/org/apikeys?x=1')
  t.equal(redirect.path, '/')
  t.equal(redirect.httpOnly, true)
  const login = await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' }, cookies: { redirect_to: redirect.value } })
  t.equal(login.json().redirectUrl, '/org/apikeys?x=1')
  const cleared = login.cookies.find(c => c.name === 'redirect_to')!
  t.same([cleared.value, cleared.path, cleared.httpOnly, cleared.sameSite], ['', '/', true, 'Lax'], 'cleared with the attributes it was set with')
  const home = await app.inject({ url: '/', headers: HTML })
  t.equal(home.headers.location, '/login')
  t.notOk(home.cookies.some(c => c.name === 'redirect_to'), 'no redirect_to for the home page itself')
})

t.test('GET /login: the sign-in page for browsers and curl, the JSON hint for a client asking JSON only, a redirect when signed in', async t => {
  const page = await app.inject({ url: '/login', headers: HTML })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.match(page.body, /<script type="application\/json" id="gatehouse-boot">\{"appSubUrl":"","disableLoginForm":false,"version":"[^"]+"\}<\/script>/)
  for (const accept of ['*/*', undefined, 'text/plain']) {
    const curl = await app.inject({ url: '/login', headers: accept === undefined ? {} : { accept } })
    t.equal(curl.headers['content-type'], 'text/html; charset=utf-8', `Accept: ${accept}: the page, as Grafana serves it`)
  }
  const script = await app.inject({ url: '/login', headers: { accept: 'application/json' } })
  t.same(script.json(), { message: 'Sign in with POST /login {"user","password"}' })
  const signedIn = await app.inject({ url: '/login', headers: HTML, cookies: { grafana_session: await signIn(app) } })
  t.equal(signedIn.statusCode, 302)
  t.equal(signedIn.headers.location, '/')
})

t.test('disable_login_form reaches the sign-in page', async t => {
  const { app } = await build(t, { auth: { disable_login_form: true } })
  const page = await app.inject({ url: '/login', headers: HTML })
  t.match(page.body, /"disableLoginForm":true/)
})

t.test('behind the auth proxy the browser lands signed in: the shell, no detour through /login', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true } })
  const page = await app.inject({ url: '/org/apikeys', headers: { ...HTML, 'x-webauth-user': 'admin' } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<base href="\/">/)
  const login = await app.inject({ url: '/login', headers: { ...HTML, 'x-webauth-user': 'admin' } })
  t.equal(login.statusCode, 302)
  t.equal(login.headers.location, '/')
})

t.test('the shell has a Content-Security-Policy that admits only this origin and its import map', async t => {
  const res = await app.inject({ url: '/login', headers: HTML })
  const csp = res.headers['content-security-policy'] as string
  const importMap = /<script type="importmap">(.*?)<\/script>/s.exec(res.body)![1]!
  const hash = createHash('sha256').update(importMap).digest('base64')
  t.equal(csp, `default-src 'self'; script-src 'self' 'sha256-${hash}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
  t.same(JSON.parse(importMap), { imports: Object.fromEntries(Object.entries(VENDOR).map(([k, v]) => [k, `./public/${v}`])) })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
})

t.test('files are served with their content types, an ETag and 304 on revalidation', async t => {
  const cases: Array<[string, string]> = [
    ['/public/app/main.js', 'text/javascript; charset=utf-8'],
    ['/public/app/pages/datasource-edit.js', 'text/javascript; charset=utf-8'],
    ['/public/css/gatehouse.css', 'text/css; charset=utf-8'],
    ['/public/img/gatehouse.svg', 'image/svg+xml'],
    ['/public/img/icn-datasource.svg', 'image/svg+xml'],
    ['/public/vendor/preact.mjs', 'text/javascript; charset=utf-8'],
    ['/public/vendor/preact-hooks.mjs', 'text/javascript; charset=utf-8'],
    ['/public/vendor/htm.mjs', 'text/javascript; charset=utf-8']
  ]
  for (const [url, type] of cases) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-type'], type, url)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.ok(res.body.length > 0)
    const again = await app.inject({ url, headers: { 'if-none-match': res.headers.etag as string } })
    t.equal(again.statusCode, 304, `${url} revalidates`)
    t.equal(again.body, '')
  }
  t.equal((await app.inject({ url: '/public/app/nope.js' })).statusCode, 404)
  t.equal((await app.inject({ url: '/public/index.html' })).statusCode, 404, 'the template is not a file')
})

t.test('/public/ serves nothing outside ui/, however the ".." is spelled', async t => {
  // Sent byte for byte: app.inject (WHATWG URL) would resolve "..", "%2e%2e" and "\\" before routing.
  const escapes = ['/public/../package.json', '/public/%2e%2e/package.json', '/public/%2E%2E/package.json', '/public/..%2fpackage.json',
    '/public/%2e%2e%2fpackage.json', '/public/img/..%2f..%2fpackage.json', '/public/..%5cpackage.json', '/public/..\\package.json',
    '/public/%252e%252e/package.json', '/public/img/%2e%2e/index.html']
  for (const path of escapes) {
    const res = await rawGet(app, path)
    t.same([res.statusCode, res.json()], [404, { message: 'Not found' }], path)
  }
})

t.test('no page or file references anything outside this server', async t => {
  const bodies: Array<[string, string]> = [['/login', (await app.inject({ url: '/login', headers: HTML })).body]]
  for (const file of uiFiles().filter(f => f !== 'index.html')) bodies.push([file, (await app.inject({ url: `/public/${file}` })).body])
  for (const path of Object.values(VENDOR)) bodies.push([path, (await app.inject({ url: `/public/${path}` })).body])
  const external = [
    /\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//gi, // attributes
    /\bfrom\s*["'](?:[a-z][a-z0-9+.-]*:)?\/\//gi, // static imports
    /\bimport\s*\(\s*["'](?:[a-z][a-z0-9+.-]*:)?\/\//gi, // dynamic imports
    /\burl\(\s*["']?(?:[a-z][a-z0-9+.-]*:)?\/\//gi, // CSS
    /@import\s+["'](?:[a-z][a-z0-9+.-]*:)?\/\//gi,
    /\bfetch\(\s*["'`](?:[a-z][a-z0-9+.-]*:)?\/\//gi
  ]
  for (const [name, body] of bodies) {
    t.ok(body.length > 0, `${name} served`)
    for (const re of external) t.same(body.match(re), null, `${name}: ${re}`)
    // The only absolute URLs allowed: XML namespace names (SVG, MathML), which are never fetched,
    // and RFC 2606 example hosts in placeholders.
    const urls = (body.match(/https?:\/\/[^\s"'`)<>]+/g) ?? []).filter(u => !/^http:\/\/www\.w3\.org\//.test(u) && !/^https?:\/\/([\w-]+\.)*example\.(com|org|net)\b/.test(u))
    t.same(urls, [], `${name} names no external URL`)
  }
})

t.test('every module import resolves to a served file or the import map', async t => {
  for (const file of uiFiles().filter(f => f.endsWith('.js'))) {
    const text = (await app.inject({ url: `/public/${file}` })).body
    for (const [, spec] of text.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g)) {
      if (!spec!.startsWith('.')) {
        t.ok(spec! in VENDOR, `${file}: bare import ${spec} is in the import map`)
        continue
      }
      const target = new URL(spec!, `http://x/public/${file}`).pathname
      t.equal((await app.inject({ url: target })).statusCode, 200, `${file} → ${target}`)
    }
  }
})

t.test('served from a sub path: routes, assets, <base href>, cookie path and redirects all use it', async t => {
  const { app } = await build(t, { server: { root_url: 'http://localhost:3000/grafana/', serve_from_sub_path: true } })
  const anonymous = await app.inject({ url: '/grafana/org/apikeys', headers: HTML })
  t.equal(anonymous.statusCode, 302)
  t.equal(anonymous.headers.location, '/grafana/login')
  const redirect = anonymous.cookies.find(c => c.name === 'redirect_to')!
  t.equal(redirect.value, '/grafana/org/apikeys')
  t.equal(redirect.path, '/grafana/')
  const page = await app.inject({ url: '/grafana/login', headers: HTML })
  t.match(page.body, /<base href="\/grafana\/">/)
  t.match(page.body, /"appSubUrl":"\/grafana"/)
  t.equal((await app.inject({ url: '/grafana/public/app/main.js' })).statusCode, 200)
  t.equal((await app.inject({ url: '/public/app/main.js' })).statusCode, 404)
  const cookie = await signIn(app, '/grafana/login')
  t.equal((await app.inject({ url: '/grafana/', headers: HTML, cookies: { grafana_session: cookie } })).statusCode, 200)
})

t.test('behind a proxy that strips the sub path: routes at /, URLs in the page under the sub path', async t => {
  const { app } = await build(t, { server: { root_url: 'http://localhost:3000/grafana/' } })
  const anonymous = await app.inject({ url: '/datasources', headers: HTML })
  t.equal(anonymous.headers.location, '/grafana/login')
  t.equal(anonymous.cookies.find(c => c.name === 'redirect_to')!.value, '/grafana/datasources')
  const page = await app.inject({ url: '/login', headers: HTML })
  t.match(page.body, /<base href="\/grafana\/">/)
  t.equal((await app.inject({ url: '/public/css/gatehouse.css' })).statusCode, 200)
})
