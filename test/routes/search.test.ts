// GET /api/search: Grafana's hit shape, filters, paging and org isolation.
import t from 'tap'
import { ADMIN, basic, build, type App, api } from '../helpers/build.js'
import { matchesSpec } from '../helpers/openapi.js'

const find = async (app: App, qs = '', auth = ADMIN) => {
  const res = await api(app, 'GET', `/api/search${qs}`, undefined, auth)
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
  return res.json() as Array<{ id: number, uid: string, title: string, tags: string[] }>
}
const titles = async (app: App, qs = '', auth = ADMIN) => (await find(app, qs, auth)).map(h => h.title)

async function create (app: App, title: string, extra: Record<string, unknown> = {}, auth = ADMIN): Promise<{ id: number, uid: string }> {
  const { folderUid, ...dashboard } = extra
  const res = await api(app, 'POST', '/api/dashboards/db', { dashboard: { title, ...dashboard }, ...(folderUid !== undefined ? { folderUid } : {}) }, auth)
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json()
}

t.test('search lists the org\'s dashboards by title, case-insensitively, in Grafana\'s hit shape', async t => {
  const { app } = await build(t)
  const b = await create(app, 'b-Ops', { uid: 'b-ops', tags: ['ops', 'prod'] })
  await create(app, 'charlie')
  await create(app, 'Alpha')
  const hits = await find(app)
  t.same(hits.map(h => h.title), ['Alpha', 'b-Ops', 'charlie'])
  t.same(hits[1], {
    id: b.id,
    uid: 'b-ops',
    title: 'b-Ops',
    uri: 'db/b-ops',
    url: '/d/b-ops/b-ops',
    slug: '',
    type: 'dash-db',
    tags: ['ops', 'prod'],
    isStarred: false,
    sortMeta: 0
  })
  t.same(Object.keys(hits[0]!), ['id', 'uid', 'title', 'uri', 'url', 'slug', 'type', 'tags', 'isStarred', 'sortMeta'])
  matchesSpec(t, 'HitList', hits)
  t.same(await titles(app, '?sort=alpha-desc'), ['charlie', 'b-Ops', 'Alpha'])
  t.same(await titles(app, '?type=dash-db'), ['Alpha', 'b-Ops', 'charlie'])
  t.same(await find(app, '?type=dash-folder'), [], 'there are no folders')
  t.same(await find(app, '?starred=true'), [], 'nothing is starred')
})

t.test('query is a case-insensitive substring of the title; % and _ are plain characters', async t => {
  const { app } = await build(t)
  for (const title of ['Production Overview', 'Pre-production', 'Node 100%', 'a_b', 'axb']) await create(app, title)
  t.same(await titles(app, '?query=PRODUCTION'), ['Pre-production', 'Production Overview'])
  t.same(await titles(app, '?query=100%25'), ['Node 100%'])
  t.same(await titles(app, '?query=a_b'), ['a_b'])
  t.same(await titles(app, '?query=nothing'), [])
  t.same(await titles(app, '?query='), ['a_b', 'axb', 'Node 100%', 'Pre-production', 'Production Overview'])
})

t.test('tag filters need every tag; tags follow saves and deletes', async t => {
  const { app } = await build(t)
  const web = await create(app, 'Web', { tags: ['prod', 'web'] })
  await create(app, 'Db', { tags: ['prod', 'db'] })
  await create(app, 'Untagged')
  t.same(await titles(app, '?tag=prod'), ['Db', 'Web'])
  t.same(await titles(app, '?tag=prod&tag=web'), ['Web'])
  t.same(await titles(app, '?tag=prod&tag=prod'), ['Db', 'Web'], 'a repeated tag counts once')
  t.same(await titles(app, '?tag=web&tag=db'), [])
  t.same(await titles(app, '?tag=Prod'), [], 'tags match exactly')

  await api(app, 'POST', '/api/dashboards/db', { dashboard: { uid: web.uid, title: 'Web v2', tags: ['stage'], version: 1 } })
  t.same(await titles(app, '?tag=web'), [])
  t.same((await find(app, '?tag=stage')).map(h => [h.title, h.tags]), [['Web v2', ['stage']]])
  await api(app, 'DELETE', `/api/dashboards/uid/${web.uid}`)
  t.same(await titles(app, '?tag=stage'), [])
  t.same(await titles(app), ['Db', 'Untagged'])
})

t.test('limit and page page through the hits; limit defaults to 1000 and above 5000 is a 422', async t => {
  const { app } = await build(t)
  for (const title of ['A', 'B', 'C', 'D', 'E']) await create(app, title)
  t.same(await titles(app, '?limit=2'), ['A', 'B'])
  t.same(await titles(app, '?limit=2&page=2'), ['C', 'D'])
  t.same(await titles(app, '?limit=2&page=3'), ['E'])
  t.same(await titles(app, '?limit=2&page=4'), [])
  t.same(await titles(app, '?limit=0&page=0'), ['A', 'B', 'C', 'D', 'E'], 'zero means the defaults')
  t.same(await titles(app, '?limit=5000'), ['A', 'B', 'C', 'D', 'E'])
  const over = await api(app, 'GET', '/api/search?limit=5001')
  t.equal(over.statusCode, 422)
  t.same(over.json(), { message: 'Limit is above maximum allowed (5000), use page parameter to access hits beyond limit' })
  const bad = await api(app, 'GET', '/api/search?limit=many')
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { message: 'bad request data: querystring.limit must be integer' })
})

t.test('dashboardUIDs, dashboardIds and folderUIDs pick dashboards; ids and uids at once is a 400', async t => {
  const { app } = await build(t)
  const a = await create(app, 'A', { uid: 'uid-a' })
  const b = await create(app, 'B', { uid: 'uid-b' })
  await create(app, 'C', { uid: 'uid-c' })
  t.same(await titles(app, '?dashboardUIDs=uid-c&dashboardUIDs=uid-a'), ['A', 'C'])
  t.same(await titles(app, '?dashboardUIDs=uid-b'), ['B'])
  t.same(await titles(app, '?dashboardUID=uid-b'), ['B'], 'the Grafana 9 spelling')
  t.same(await titles(app, `?dashboardIds=${b.id}&dashboardIds=${a.id}&dashboardIds=junk`), ['A', 'B'], 'ids that are not numbers are skipped')
  const both = await api(app, 'GET', `/api/search?dashboardIds=${a.id}&dashboardUIDs=uid-b`)
  t.equal(both.statusCode, 400)
  t.same(both.json(), { message: 'search supports UIDs or IDs, not both' })

  await create(app, 'Team A', { folderUid: 'team-a' })
  const [hit] = await find(app, '?folderUIDs=team-a')
  t.same([hit!.title, (hit as unknown as { folderUid: string }).folderUid], ['Team A', 'team-a'], 'folderUIDs select by folder')
  t.same(await titles(app, '?folderUIDs=general'), ['A', 'B', 'C'], '"general" is the General folder')
  t.same(await titles(app, '?folderIds=0'), ['A', 'B', 'C'], 'and so is folder id 0')
  t.same(await titles(app, '?folderIds=7'), [], 'no other folder has a numeric id')
  t.same(await titles(app, '?folderUIDs=general&folderUIDs=team-a'), ['A', 'B', 'C', 'Team A'])
})

t.test('search is per org; members of the org see every dashboard, permission=Edit only Editors; anonymous is 401', async t => {
  const { app } = await build(t)
  await create(app, 'Org One Board')
  await api(app, 'POST', '/api/orgs', { name: 'Org Two' })
  const olga = (await api(app, 'POST', '/api/admin/users', { login: 'olga', password: 'olga-pass', orgId: 2 })).json()
  await api(app, 'PATCH', `/api/orgs/2/users/${olga.id}`, { role: 'Editor' })
  const asOlga = basic('olga', 'olga-pass')
  t.same(await find(app, '', asOlga), [], 'org 2 sees none of org 1\'s dashboards')
  t.same(await find(app, '?query=Org One', asOlga), [])
  await create(app, 'Org Two Board', {}, asOlga)
  t.same(await titles(app, '', asOlga), ['Org Two Board'])
  t.same(await titles(app), ['Org One Board'])

  await api(app, 'POST', '/api/admin/users', { login: 'vic', password: 'vic-pass' })
  const vic = basic('vic', 'vic-pass')
  t.same(await titles(app, '', vic), ['Org One Board'], 'a Viewer searches')
  t.same(await find(app, '?permission=Edit', vic), [], 'but cannot edit anything')
  t.same(await titles(app, '?permission=Edit'), ['Org One Board'])
  const anon = await app.inject({ url: '/api/search' })
  t.equal(anon.statusCode, 401)
  t.match(anon.json(), { message: 'Unauthorized' })
})
