// Dashboards through Grafana's HTTP API: save (create, update, conflicts), read, delete, roles, orgs.
import t from 'tap'
import { ADMIN, basic, build, type App, api } from '../helpers/build.js'
import { matchesSpec } from '../helpers/openapi.js'
import type { DashboardChange } from '../../plugins/dashboards/service.js'
import type { Identity } from '../../plugins/auth/identity.js'

const save = (app: App, body: object, auth = ADMIN) => api(app, 'POST', '/api/dashboards/db', body, auth)
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

function changes (app: App): DashboardChange[] {
  const seen: DashboardChange[] = []
  app.dashboards.events.on('change', c => { seen.push(c) })
  return seen
}

async function rows (app: App) {
  return app.db.selectFrom('dashboard').selectAll().orderBy('id').execute()
}

async function addUser (app: App, login: string, role: 'Viewer' | 'Editor' | 'Admin', orgId = 1): Promise<string> {
  const res = await api(app, 'POST', '/api/admin/users', { login, password: `${login}-pass`, orgId })
  if (res.statusCode !== 200) throw new Error(res.body)
  if (role !== 'Viewer') await api(app, 'PATCH', `/api/orgs/${orgId}/users/${res.json().id}`, { role })
  return basic(login, `${login}-pass`)
}

t.test('an Admin creates a dashboard: Grafana\'s save result, the stored model, its tags and a "saved" event', async t => {
  const { app } = await build(t)
  const seen = changes(app)
  const res = await save(app, {
    dashboard: { id: null, uid: null, title: ' Production Overview ', tags: ['prod', 'web', 'prod'], panels: [{ id: 1 }], schemaVersion: 39 }, message: 'first'
  })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.uid, /^[a-zA-Z][a-zA-Z0-9]{13}$/, 'a 14-character short uid')
  t.same(body,
    { id: body.id, uid: body.uid, url: `/d/${body.uid}/production-overview`, status: 'success', version: 1, slug: 'production-overview', folderUid: '' })
  t.same(Object.keys(body), ['id', 'uid', 'url', 'status', 'version', 'slug', 'folderUid'])

  const [row] = await rows(app)
  t.match(row, {
    id: body.id, org_id: 1, uid: body.uid, title: 'Production Overview', slug: 'production-overview', version: 1, folder_uid: '', created_by: 1, updated_by: 1
  })
  t.same(JSON.parse(row!.data),
    { id: body.id, uid: body.uid, title: 'Production Overview', tags: ['prod', 'web', 'prod'], panels: [{ id: 1 }], schemaVersion: 39, version: 1 })
  const tags = await app.db.selectFrom('dashboard_tag').select(['dashboard_id', 'term']).orderBy('id').execute()
  t.same(tags, [{ dashboard_id: body.id, term: 'prod' }, { dashboard_id: body.id, term: 'web' }], 'each tag stored once')
  t.same(seen, [{ orgId: 1, uid: body.uid, action: 'saved' }])
})

t.test('a client-chosen uid is kept; GET /api/dashboards/uid/:uid answers the model with Grafana\'s meta', async t => {
  const { app } = await build(t)
  const saved = (await save(app, { dashboard: { uid: 'prod-overview', title: 'Production Overview', tags: ['prod'] } })).json()
  t.equal(saved.uid, 'prod-overview')
  const res = await api(app, 'GET', '/api/dashboards/uid/prod-overview')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(body.dashboard, { uid: 'prod-overview', title: 'Production Overview', tags: ['prod'], id: saved.id, version: 1 })
  t.same(body.meta, {
    type: 'db',
    canSave: true,
    canEdit: true,
    canAdmin: true,
    canStar: false,
    canDelete: true,
    slug: 'production-overview',
    url: '/d/prod-overview/production-overview',
    expires: '0001-01-01T00:00:00Z',
    created: body.meta.created,
    updated: body.meta.updated,
    updatedBy: 'admin',
    createdBy: 'admin',
    version: 1,
    hasAcl: false,
    isFolder: false,
    folderId: 0,
    folderUid: '',
    folderTitle: 'General',
    folderUrl: '',
    provisioned: false,
    provisionedExternalId: ''
  })
  t.match(body.meta.created, TIME)
  t.match(body.meta.updated, TIME)
  matchesSpec(t, 'DashboardFullWithMeta', body)

  const missing = await api(app, 'GET', '/api/dashboards/uid/nope')
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { message: 'Dashboard not found' })
  matchesSpec(t, 'ErrorResponseBody', missing.json())

  const home = await api(app, 'GET', '/api/dashboards/home')
  t.match(home.json().meta, { isHome: true, canSave: false, canEdit: true }, 'the built-in home dashboard is still served')
  matchesSpec(t, 'GetHomeDashboardResponse', home.json())
})

t.test('an update needs the stored version: a stale one is 409 version-mismatch (as the issue asks; Grafana sends 412) and changes nothing; ' +
  'overwrite wins', async t => {
  const { app } = await build(t)
  const { id, uid } = (await save(app, { dashboard: { title: 'Ops' } })).json()
  const seen = changes(app)

  const v2 = await save(app, { dashboard: { uid, title: 'Ops v2', version: 1 } })
  t.same(v2.json(), { id, uid, url: `/d/${uid}/ops-v2`, status: 'success', version: 2, slug: 'ops-v2', folderUid: '' })
  const byId = await save(app, { dashboard: { id, title: 'Ops v3', version: 2 } })
  t.equal(byId.json().version, 3, 'an id finds the dashboard as well as a uid')

  for (const stale of [{ uid, title: 'Stale', version: 1 }, { id, title: 'Stale', version: 2 }, { uid, title: 'No version' }]) {
    const res = await save(app, { dashboard: stale })
    t.equal(res.statusCode, 409)
    t.same(res.json(), { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' })
    matchesSpec(t, 'ErrorResponseBody', res.json())
  }
  t.match(await rows(app), [{ id, title: 'Ops v3', version: 3 }], 'refused saves changed nothing')
  t.equal(JSON.parse((await rows(app))[0]!.data).title, 'Ops v3')

  const forced = await save(app, { dashboard: { uid, title: 'Forced', version: 1 }, overwrite: true })
  t.equal(forced.statusCode, 200)
  t.equal(forced.json().version, 4, 'overwrite saves on top of the stored version')
  t.same((await api(app, 'GET', `/api/dashboards/uid/${uid}`)).json().dashboard, { uid, title: 'Forced', version: 4, id })
  t.same(seen.map(c => c.action), ['saved', 'saved', 'saved'], 'one event per successful save, none for refusals')

  const race = await Promise.all(['A', 'B'].map(n => save(app, { dashboard: { uid, title: `Race ${n}`, version: 4 } })))
  t.same(race.map(r => r.statusCode).sort(), [200, 409], 'two saves of the same version at once: one wins')
  t.match(await rows(app), [{ uid, version: 5 }])
})

t.test('a title is unique in its folder: a second one is 412 name-exists; another folder is fine; overwrite replaces', async t => {
  const { app } = await build(t)
  const first = (await save(app, { dashboard: { title: 'Ops' } })).json()
  const dup = await save(app, { dashboard: { title: 'Ops', panels: [] } })
  t.equal(dup.statusCode, 412)
  t.same(dup.json(), { message: 'A dashboard with the same name in the folder already exists', status: 'name-exists' })
  t.equal((await rows(app)).length, 1)

  t.equal((await save(app, { dashboard: { title: 'Ops' }, folderUid: 'team-a' })).statusCode, 200, 'same title in another folder')
  t.equal((await save(app, { dashboard: { title: 'ops' } })).statusCode, 200, 'titles are compared exactly, as Grafana on PostgreSQL')

  const replaced = await save(app, { dashboard: { title: 'Ops', panels: [{ id: 7 }] }, overwrite: true })
  t.same(replaced.json(), { ...first, version: 2 }, 'overwrite takes over the dashboard that had the title')
  t.same(JSON.parse((await rows(app)).find(r => r.id === first.id)!.data), { title: 'Ops', panels: [{ id: 7 }], id: first.id, uid: first.uid, version: 2 })

  const race = await Promise.all([1, 2].map(() => save(app, { dashboard: { title: 'Twins' } })))
  t.same(race.map(r => r.statusCode).sort(), [200, 412], 'concurrent creates of one title: one wins')
  t.equal((await rows(app)).filter(r => r.title === 'Twins').length, 1)
})

t.test('bad saves are 4xx {message} with Grafana\'s wording and store nothing', async t => {
  const { app } = await build(t)
  const a = (await save(app, { dashboard: { uid: 'aaa', title: 'A' } })).json()
  const b = (await save(app, { dashboard: { uid: 'bbb', title: 'B' } })).json()
  const seen = changes(app)
  const cases: Array<[object, number, object]> = [
    [{ dashboard: { title: '' } }, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' }],
    [{ dashboard: { title: '   ' } }, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' }],
    [{ dashboard: { panels: [] } }, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' }],
    [{ dashboard: { title: 42 } }, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' }],
    [{ dashboard: { title: 'x'.repeat(5001) } }, 400, { message: 'Dashboard title cannot contain more than 5 000 characters', status: 'title-too-long' }],
    [{ dashboard: { title: 'Long', uid: 'u'.repeat(41) } }, 400, { message: 'uid too long, max 40 characters' }],
    [{ dashboard: { title: 'Bad', uid: 'a/b' } }, 400, { message: 'uid contains illegal characters' }],
    [{ dashboard: { title: 'Gone', id: 999, version: 1 } }, 404, { message: 'Dashboard not found', status: 'not-found' }],
    [{ dashboard: { title: 'Mixed', id: a.id, uid: 'bbb', version: 1 } }, 400, { message: 'A dashboard with the same uid already exists' }],
    [{ dashboard: { title: 'Chatty' }, message: 'm'.repeat(501) }, 400, { message: 'message too long, max 500 characters' }],
    [{ dashboard: { title: 'Folder' }, isFolder: true }, 400, { message: 'Use folders endpoint for saving folders.' }],
    [{ title: 'No wrapper' }, 400, { message: 'bad request data: dashboard is required' }],
    [{ dashboard: 'text' }, 400, { message: 'bad request data: dashboard must be object' }],
    [{ dashboard: { title: 'T' }, overwrite: 'yes' }, 400, { message: 'bad request data: overwrite must be boolean' }]
  ]
  for (const [body, status, answer] of cases) {
    const res = await save(app, body)
    t.equal(res.statusCode, status, JSON.stringify(body).slice(0, 80))
    t.same(res.json(), answer)
  }
  const malformed = await app.inject({
    method: 'POST', url: '/api/dashboards/db', headers: { authorization: ADMIN, 'content-type': 'application/json' }, payload: '{"dashboard":'
  })
  t.equal(malformed.statusCode, 400)
  t.same((await rows(app)).map(r => [r.uid, r.title, r.version]), [['aaa', 'A', 1], ['bbb', 'B', 1]], 'nothing stored or changed')
  t.same(seen, [], 'no events')
  t.ok(b)
})

t.test('DELETE answers Grafana\'s body, removes the dashboard and its tags, and announces "deleted"', async t => {
  const { app } = await build(t)
  const { id, uid } = (await save(app, { dashboard: { title: 'Doomed', tags: ['x'] } })).json()
  const seen = changes(app)
  const res = await api(app, 'DELETE', `/api/dashboards/uid/${uid}`)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { title: 'Doomed', message: 'Dashboard Doomed deleted', id })
  t.same(seen, [{ orgId: 1, uid, action: 'deleted' }])
  t.same(await rows(app), [])
  t.same(await app.db.selectFrom('dashboard_tag').selectAll().execute(), [])
  t.equal((await api(app, 'GET', `/api/dashboards/uid/${uid}`)).statusCode, 404)
  const again = await api(app, 'DELETE', `/api/dashboards/uid/${uid}`)
  t.equal(again.statusCode, 404)
  t.same(again.json(), { message: 'Dashboard not found' })
  t.equal(seen.length, 1)
})

t.test('Viewers read but cannot save or delete; Editors save and delete; only Admins get canAdmin', async t => {
  const { app } = await build(t)
  const viewer = await addUser(app, 'vera', 'Viewer')
  const editor = await addUser(app, 'ed', 'Editor')
  const { uid } = (await save(app, { dashboard: { title: 'Shared' } })).json()
  const seen = changes(app)

  const read = (await api(app, 'GET', `/api/dashboards/uid/${uid}`, undefined, viewer)).json()
  t.match(read.meta, { canSave: false, canEdit: false, canAdmin: false, canDelete: false, createdBy: 'admin' })
  for (const res of [
    await save(app, { dashboard: { uid, title: 'Hijacked', version: 1 } }, viewer),
    await save(app, { dashboard: { title: 'New' } }, viewer),
    await api(app, 'DELETE', `/api/dashboards/uid/${uid}`, undefined, viewer)
  ]) {
    t.equal(res.statusCode, 403)
    t.same(res.json(), { message: 'Permission denied' })
  }
  t.match(await rows(app), [{ uid, title: 'Shared', version: 1 }], 'the Viewer changed nothing')
  t.same(seen, [])

  t.equal((await save(app, { dashboard: { uid, title: 'Edited', version: 1 } }, editor)).statusCode, 200)
  const edited = (await api(app, 'GET', `/api/dashboards/uid/${uid}`, undefined, editor)).json()
  t.match(edited.meta, { canSave: true, canEdit: true, canAdmin: false, canDelete: true, createdBy: 'admin', updatedBy: 'ed', version: 2 })
  t.equal((await api(app, 'DELETE', `/api/dashboards/uid/${uid}`, undefined, editor)).statusCode, 200)
  t.equal((await api(app, 'GET', `/api/dashboards/uid/${uid}`)).statusCode, 404)
  t.equal((await app.inject({ url: `/api/dashboards/uid/${uid}` })).statusCode, 401, 'anonymous requests are refused')
})

t.test('another org\'s users never see or change a dashboard; canRead says the same', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/orgs', { name: 'Org Two' })
  const olga = await addUser(app, 'olga', 'Admin', 2)
  const { id, uid } = (await save(app, { dashboard: { uid: 'shared-uid', title: 'Mine' } })).json()

  t.equal((await api(app, 'GET', `/api/dashboards/uid/${uid}`, undefined, olga)).statusCode, 404)
  t.equal((await api(app, 'DELETE', `/api/dashboards/uid/${uid}`, undefined, olga)).statusCode, 404)
  const byId = await save(app, { dashboard: { id, title: 'Taken', version: 1 } }, olga)
  t.equal(byId.statusCode, 404)
  t.same(byId.json(), { message: 'Dashboard not found', status: 'not-found' })
  const byUid = await save(app, { dashboard: { uid, title: 'Theirs' } }, olga)
  t.equal(byUid.statusCode, 200, 'a uid is unique per org: org 2 gets its own dashboard')
  t.not(byUid.json().id, id)
  t.match(await rows(app), [{ id, org_id: 1, uid, title: 'Mine', version: 1 }, { org_id: 2, uid, title: 'Theirs', version: 1 }])
  t.equal((await api(app, 'GET', `/api/dashboards/uid/${uid}`)).json().dashboard.title, 'Mine')

  const who = (orgId: number, orgRole: Identity['orgRole']): Identity => ({
    kind: 'user', authenticatedBy: 'basic', userId: 1, login: 'admin', email: '', name: '', orgId, orgName: '', orgRole, isGrafanaAdmin: true
  })
  t.equal(await app.dashboards.canRead(who(1, 'Viewer'), uid), true)
  t.equal(await app.dashboards.canRead(who(1, 'Viewer'), 'nope'), false)
  t.equal(await app.dashboards.canRead(who(3, null), uid), false, 'not a member of the org')
  await api(app, 'DELETE', `/api/dashboards/uid/${uid}`, undefined, olga)
  t.equal(await app.dashboards.canRead(who(2, 'Viewer'), uid), false)
})

t.test('url carries root_url\'s sub path; slugs are Grafana\'s', async t => {
  const { app } = await build(t, { server: { root_url: 'http://localhost:3000/grafana/' } })
  const res = (await save(app, { dashboard: { uid: 'sub', title: 'Cộng hòa & Co. (beta)' } })).json()
  t.same([res.slug, res.url], ['cong-hoa-and-co-beta', '/grafana/d/sub/cong-hoa-and-co-beta'])
  t.equal((await api(app, 'GET', '/api/dashboards/uid/sub')).json().meta.url, '/grafana/d/sub/cong-hoa-and-co-beta')
  t.match((await api(app, 'GET', '/api/search?dashboardUIDs=sub')).json(),
    [{ uri: 'db/cong-hoa-and-co-beta', url: '/grafana/d/sub/cong-hoa-and-co-beta' }], 'search hits too')
  t.equal((await save(app, { dashboard: { uid: 'emoji', title: '😢 -' } })).json().slug, '8J-YoiAt', 'nothing sluggable: base64url of the title')
})

t.test('a failing change listener is logged and never fails the save', async t => {
  const { app, logs } = await build(t)
  app.dashboards.events.on('change', () => { throw new Error('listener broke') })
  app.dashboards.events.on('change', async () => { throw new Error('async listener broke') })
  const res = await save(app, { dashboard: { title: 'Sturdy' } })
  t.equal(res.statusCode, 200)
  await new Promise(resolve => setImmediate(resolve))
  t.equal((await rows(app)).length, 1)
  t.ok(logs.some(l => l.includes('dashboard change listener failed')), 'logged')
})

t.test('values the database cannot hold are a 400 that stores nothing and logs no error, not a 500', async t => {
  const { app, logs } = await build(t)
  const cases: object[] = [
    { dashboard: { title: 'nul\u0000title' } },
    { dashboard: { title: 'ok', tags: ['nul\u0000tag'] } },
    { dashboard: { id: 1e10, title: 'huge id' } }
  ]
  for (const body of cases) {
    const res = await save(app, body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.same(res.json(), { message: 'bad request data: a value is out of range or holds a character that cannot be stored' })
  }
  t.same(await rows(app), [])
  const search = await api(app, 'GET', '/api/search?dashboardIds=9999999999')
  t.equal(search.statusCode, 400)
  t.equal((await api(app, 'GET', '/api/dashboards/uid/a%00b')).statusCode < 500, true, 'a NUL in a uid is not a server error')
  t.same(logs.filter(l => l.includes('level=error')), [])
})
