import t from 'tap'
import { ADMIN, basic, build, api } from '../helpers/build.js'

t.test('an org admin creates, reads, renames and deletes a team', async t => {
  const { app } = await build(t)
  const created = await api(app, 'POST', '/api/teams', { name: 'Core', email: 'core@example.com' })
  t.equal(created.statusCode, 200)
  t.same(created.json(), { message: 'Team created', teamId: 1 })
  const id = 1

  const got = await api(app, 'GET', `/api/teams/${id}`)
  // Grafana's avatar URL: /avatar/ + md5 of the team's email (dd113b56… is md5("core@example.com")).
  const avatarUrl = '/avatar/dd113b56eab7cdcb377ae9bb9c2abd31'
  t.same(got.json(), { id, orgId: 1, name: 'Core', email: 'core@example.com', avatarUrl, memberCount: 0, permission: 0 })

  t.same((await api(app, 'PUT', `/api/teams/${id}`, { name: 'Core Team' })).json(), { message: 'Team updated' })
  t.equal((await api(app, 'GET', `/api/teams/${id}`)).json().name, 'Core Team')
  t.same((await api(app, 'DELETE', `/api/teams/${id}`)).json(), { message: 'Team deleted' })
  t.equal((await api(app, 'GET', `/api/teams/${id}`)).statusCode, 404)
})

t.test('a duplicate team name in the org is a 409', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/teams', { name: 'Loki' })
  const dup = await api(app, 'POST', '/api/teams', { name: 'loki' })
  t.equal(dup.statusCode, 409)
  t.equal(dup.json().message, 'Team name taken')
})

t.test('seed 002: team search answers Grafana\'s shape', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/teams', { name: 'Core' })
  await api(app, 'POST', '/api/teams', { name: 'Loki' })
  await api(app, 'POST', '/api/teams/1/members', { userId: 1 })
  const res = await api(app, 'GET', '/api/teams/search')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.totalCount, 2)
  t.equal(body.page, 1)
  t.equal(body.perPage, 1000)
  t.same(body.teams.map((x: { name: string, memberCount: number, permission: number, email: string }) => [x.name, x.memberCount, x.permission, x.email]),
    [['Core', 1, 0, ''], ['Loki', 0, 0, '']])
  const filtered = await api(app, 'GET', '/api/teams/search?query=lo&perpage=10')
  t.same(filtered.json().teams.map((x: { name: string }) => x.name), ['Loki'])
})

t.test('team members are added, listed and removed; a non-member of the org cannot be added', async t => {
  const { app } = await build(t)
  const id = (await api(app, 'POST', '/api/teams', { name: 'Core' })).json().teamId
  t.same((await api(app, 'POST', `/api/teams/${id}/members`, { userId: 1 })).json(), { message: 'Member added to Team' })
  t.equal((await api(app, 'POST', `/api/teams/${id}/members`, { userId: 1 })).statusCode, 400)
  const members = (await api(app, 'GET', `/api/teams/${id}/members`)).json()
  t.match(members, [{ orgId: 1, teamId: id, userId: 1, login: 'admin', email: 'admin@localhost', labels: [], permission: 0 }])
  t.equal((await api(app, 'POST', `/api/teams/${id}/members`, { userId: 999 })).statusCode, 404)
  t.same((await api(app, 'DELETE', `/api/teams/${id}/members/1`)).json(), { message: 'Team Member removed' })
  t.equal((await api(app, 'DELETE', `/api/teams/${id}/members/1`)).statusCode, 404)
})

t.test('seed 002: external groups are mapped to a team and removed again', async t => {
  const { app } = await build(t)
  const id = (await api(app, 'POST', '/api/teams', { name: 'Loki' })).json().teamId
  t.same((await api(app, 'POST', `/api/teams/${id}/groups`, { groupId: 'lokiTeamOnExternalSystem' })).json(), { message: 'Group added to Team' })
  t.equal((await api(app, 'POST', `/api/teams/${id}/groups`, { groupId: 'lokiTeamOnExternalSystem' })).statusCode, 400)
  t.same((await api(app, 'GET', `/api/teams/${id}/groups`)).json(), [{ orgId: 1, teamId: id, groupId: 'lokiTeamOnExternalSystem' }])
  const group = encodeURIComponent('cn=editors,ou=groups,dc=grafana,dc=org')
  await api(app, 'POST', `/api/teams/${id}/groups`, { groupId: 'cn=editors,ou=groups,dc=grafana,dc=org' })
  t.same((await api(app, 'DELETE', `/api/teams/${id}/groups?groupId=${group}`)).json(), { message: 'Team Group removed' })
  t.same((await api(app, 'DELETE', `/api/teams/${id}/groups/lokiTeamOnExternalSystem`)).json(), { message: 'Team Group removed' })
  t.same((await api(app, 'GET', `/api/teams/${id}/groups`)).json(), [])
  t.equal((await api(app, 'DELETE', `/api/teams/${id}/groups?groupId=nope`)).statusCode, 404)
})

t.test('teams are per org: another org\'s team is not found', async t => {
  const { app } = await build(t)
  const org2 = (await api(app, 'POST', '/api/orgs', { name: 'Org Two' })).json().orgId
  const id = (await api(app, 'POST', '/api/teams', { name: 'Elsewhere' }, ADMIN, { 'x-grafana-org-id': String(org2) })).json().teamId
  t.equal((await api(app, 'GET', `/api/teams/${id}`)).statusCode, 404)
  t.equal((await api(app, 'GET', '/api/teams/search')).json().totalCount, 0)
})

t.test('only org admins manage teams', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/admin/users', { login: 'viewer', password: 'viewerpass' })
  const res = await api(app, 'POST', '/api/teams', { name: 'Nope' }, basic('viewer', 'viewerpass'))
  t.equal(res.statusCode, 403)
  t.equal((await api(app, 'GET', '/api/teams/search')).json().totalCount, 0, 'nothing was created')
})

t.test('a blank team name is a 400 naming the field', async t => {
  const { app } = await build(t)
  const res = await api(app, 'POST', '/api/teams', { name: '   ' })
  t.equal(res.statusCode, 400)
  t.match(res.json().message, /name/)
})

t.test('team sync: the Groups header puts the user in mapped teams and takes them out again', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers: 'Groups:X-WEBAUTH-GROUPS' } })
  const loki = (await api(app, 'POST', '/api/teams', { name: 'Loki' })).json().teamId
  const core = (await api(app, 'POST', '/api/teams', { name: 'Core' })).json().teamId
  const manual = (await api(app, 'POST', '/api/teams', { name: 'Manual' })).json().teamId
  await api(app, 'POST', `/api/teams/${loki}/groups`, { groupId: 'lokiTeamOnExternalSystem' })
  await api(app, 'POST', `/api/teams/${core}/groups`, { groupId: 'CoreTeamOnExternalSystem' })

  const proxied = (groups: string) => app.inject({ url: '/api/user', headers: { 'x-webauth-user': 'leonard', 'x-webauth-groups': groups } })
  const leonard = (await proxied('lokiTeamOnExternalSystem,CoreTeamOnExternalSystem')).json().id
  const teamsOf = async () => (await app.db.selectFrom('team_member').select('team_id').where('user_id', '=', leonard).orderBy('team_id').execute())
    .map(r => r.team_id)
  t.same(await teamsOf(), [loki, core])

  await api(app, 'POST', `/api/teams/${manual}/members`, { userId: leonard })
  await proxied('lokiTeamOnExternalSystem')
  t.same(await teamsOf(), [loki, manual], 'synced Core membership removed, manual membership kept')
  t.same((await api(app, 'GET', `/api/teams/${loki}/members`)).json().map((m: { labels: string[] }) => m.labels), [['External']])
})

t.test('seed 002: leonard with X-WEBAUTH-GROUPS gets the home dashboard as a Viewer and joins the Loki team', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers: 'Groups:X-WEBAUTH-GROUPS' } })
  const loki = (await api(app, 'POST', '/api/teams', { name: 'Loki' })).json().teamId
  await api(app, 'POST', `/api/teams/${loki}/groups`, { groupId: 'lokiteamOnExternalSystem' })
  const res = await app.inject({ url: '/dashboards/home', headers: { 'x-webauth-user': 'leonard', 'x-webauth-groups': 'lokiteamOnExternalSystem' } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { dashboard: { title: 'Home' }, meta: { isHome: true, canSave: false, canEdit: false } })
  t.same((await api(app, 'GET', `/api/teams/${loki}/members`)).json().map((m: { login: string }) => m.login), ['leonard'])
  const editor = await app.inject({ url: '/api/dashboards/home', headers: { authorization: ADMIN } })
  t.match(editor.json().meta, { isHome: true, canSave: false, canEdit: true })
})

t.test('team search takes % and _ literally', async t => {
  const { app } = await build(t)
  for (const name of ['Ops_EU', 'OpsXEU', '100% Uptime', '1000 Uptime']) await api(app, 'POST', '/api/teams', { name })
  const names = async (query: string) => (await api(app, 'GET', `/api/teams/search?query=${encodeURIComponent(query)}`)).json().teams
    .map((x: { name: string }) => x.name)
  t.same(await names('ops_'), ['Ops_EU'])
  t.same(await names('100%'), ['100% Uptime'])
})
