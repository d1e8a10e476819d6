import t from 'tap'
import { createVerify, generateKeyPairSync } from 'node:crypto'
import { ADMIN, build, type TestContext } from '../helpers/build.js'
import { createDataSource, tempDir, upstream, writePlugin } from '../helpers/datasources.js'

const pkcs8 = { type: 'pkcs8', format: 'pem' } as const
const spki = { type: 'spki', format: 'pem' } as const
const serviceAccount = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: pkcs8, publicKeyEncoding: spki })
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: pkcs8, publicKeyEncoding: spki })
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: pkcs8, publicKeyEncoding: spki })
const EMAIL = 'gatehouse@example-project.iam.gserviceaccount.com'
const SCOPES = ['https://www.googleapis.com/auth/monitoring.read', 'https://www.googleapis.com/auth/cloud-platform.read-only']
const b64json = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'))

interface Grant {
  path: string, contentType: string | undefined, grantType: string | null, header: unknown, claims: Record<string, unknown>, signatureValid: boolean
}

/** A token endpoint that checks the JWT-bearer grant as Google's does: RS256 signed by the service account's key. */
async function tokenEndpoint (t: TestContext) {
  const grants: Grant[] = []
  const server = await upstream(t, (req, res, body) => {
    const form = new URLSearchParams(body)
    const [h = '', p = '', sig = ''] = (form.get('assertion') ?? '').split('.')
    const signatureValid = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(serviceAccount.publicKey, sig, 'base64url')
    const grant = {
      path: req.url!, contentType: req.headers['content-type'], grantType: form.get('grant_type'), header: b64json(h), claims: b64json(p), signatureValid
    }
    grants.push(grant)
    const { claims } = grant
    const ok = signatureValid && claims.iss === EMAIL && claims.aud === `${server.url}/token` && claims.scope === SCOPES.join(' ') &&
      typeof claims.exp === 'number' && claims.exp * 1000 > Date.now()
    res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' })
    res.end(JSON.stringify(ok ? { access_token: `google-token-${grants.length}`, token_type: 'Bearer', expires_in: 3599 } : { error: 'invalid_grant' }))
  })
  return { ...server, grants }
}

/** Gatehouse with a Google-style plugin (Grafana's jwtTokenAuth example) and one data source of it. */
async function googleApp (t: TestContext, secureJsonData: Record<string, string>, jsonData: Record<string, string> = {}) {
  const token = await tokenEndpoint(t)
  const monitoring = await upstream(t)
  const plugins = writePlugin(tempDir(t), {
    type: 'datasource',
    id: 'google-like',
    name: 'Google-like',
    routes: [{
      path: 'monitoring',
      method: 'GET',
      url: `${monitoring.url}/v3`,
      // Grafana takes the token URL from params.token_uri; jwtTokenAuth.url is not used.
      jwtTokenAuth: {
        url: `${token.url}/not-used`,
        scopes: SCOPES,
        params: {
          token_uri: '{{.JsonData.tokenUri | orEmpty}}',
          client_email: '{{.JsonData.clientEmail | orEmpty}}',
          private_key: '{{.SecureJsonData.privateKey | orEmpty}}'
        }
      }
    }]
  })
  const built = await build(t, { paths: { plugins } })
  const { id } = await createDataSource(built.app, {
    name: 'Google', type: 'google-like', jsonData: { clientEmail: EMAIL, tokenUri: `${token.url}/token`, ...jsonData }, secureJsonData
  })
  const call = () => built.app.inject({ url: `/api/datasources/proxy/${id}/monitoring/projects/p1/timeSeries`, headers: { authorization: ADMIN } })
  return { ...built, token, monitoring, call }
}

t.test('jwtTokenAuth signs an RS256 assertion with the service account key and sends the token as a Bearer header', async t => {
  const { token, monitoring, call, logs } = await googleApp(t, { privateKey: serviceAccount.privateKey })
  const before = Math.floor(Date.now() / 1000)
  const res = await call()
  t.equal(res.statusCode, 200)
  t.equal(token.grants.length, 1)
  const { claims, ...grant } = token.grants[0]!
  t.same(grant, {
    path: '/token',
    contentType: 'application/x-www-form-urlencoded',
    grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    header: { alg: 'RS256', typ: 'JWT' },
    signatureValid: true
  })
  t.same(Object.keys(claims).sort(), ['aud', 'exp', 'iat', 'iss', 'scope'])
  t.match(claims, { iss: EMAIL, scope: SCOPES.join(' '), aud: `${token.url}/token` })
  t.ok((claims.iat as number) >= before - 1 && (claims.iat as number) <= Math.ceil(Date.now() / 1000), 'iat is now')
  t.equal((claims.exp as number) - (claims.iat as number), 3600, 'valid for an hour, as Google allows')
  t.same(monitoring.seen.map(s => [s.url, s.headers.authorization]), [['/v3/projects/p1/timeSeries', 'Bearer google-token-1']])

  t.equal((await call()).statusCode, 200)
  t.equal(token.grants.length, 1, 'the token is cached')
  t.equal(monitoring.seen[1]!.headers.authorization, 'Bearer google-token-1')
  const text = logs.join('\n')
  const keyBody = serviceAccount.privateKey.split('\n')[1]!
  for (const secret of ['google-token-1', keyBody, 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9']) {
    t.notOk(text.includes(secret), `logs do not contain ${secret.slice(0, 12)}…`)
  }
})

t.test('a private key pasted with escaped newlines (as in a JSON key file) signs the same way', async t => {
  const { token, monitoring, call } = await googleApp(t, { privateKey: serviceAccount.privateKey.replaceAll('\n', '\\n') })
  t.equal((await call()).statusCode, 200)
  t.same(token.grants.map(g => g.signatureValid), [true])
  t.equal(monitoring.seen[0]!.headers.authorization, 'Bearer google-token-1')
})

t.test('missing client_email, private_key or token_uri is a 502 naming the route, and nothing is sent', async t => {
  const message = 'Token request for route "monitoring" failed: jwtTokenAuth needs params client_email, private_key and token_uri'
  for (const [what, secure, json] of [
    ['private_key', {}, {}],
    ['client_email', { privateKey: serviceAccount.privateKey }, { clientEmail: '' }],
    ['token_uri', { privateKey: serviceAccount.privateKey }, { tokenUri: '' }]
  ] as const) {
    const { token, monitoring, call, logs } = await googleApp(t, secure, json)
    const res = await call()
    t.same([res.statusCode, res.json()], [502, { message }], what)
    t.equal(token.grants.length + monitoring.seen.length, 0, `${what}: no token request, no upstream request`)
    t.match(logs.join('\n'), /logger=data-proxy.*msg="Failed to get access token".*route=monitoring/)
  }
})

t.test('a private key that is not an RSA private key is a 502 naming the route, and the key is never logged', async t => {
  for (const privateKey of ['not-a-key-secret-123', ecKey.privateKey, serviceAccount.publicKey]) {
    const { token, monitoring, call, logs } = await googleApp(t, { privateKey })
    const res = await call()
    t.same([res.statusCode, res.json()],
      [502, { message: 'Token request for route "monitoring" failed: jwtTokenAuth private_key is not a valid RSA private key' }])
    t.equal(token.grants.length + monitoring.seen.length, 0)
    const line = privateKey.split('\n').find(l => l.length >= 16)!
    t.notOk(logs.join('\n').includes(line), 'the key is not logged')
  }
})

t.test('an assertion the token endpoint refuses (signed by another key) is a 502 with its status; the upstream is not called', async t => {
  const { token, monitoring, call } = await googleApp(t, { privateKey: stranger.privateKey })
  const res = await call()
  t.same([res.statusCode, res.json()], [502, { message: 'Token request for route "monitoring" failed: token endpoint answered 400' }])
  t.same(token.grants.map(g => g.signatureValid), [false])
  t.equal(monitoring.seen.length, 0)
})
