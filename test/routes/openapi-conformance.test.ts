// Clients generated from Grafana's API spec must decode what Gatehouse answers.
import t from 'tap'
import { ADMIN, build } from '../helpers/build.js'
import { matchesSpec } from '../helpers/openapi.js'

t.test('response bodies match Grafana\'s API spec', async t => {
  const { app } = await build(t)
  const get = async (url: string) => (await app.inject({ url, headers: { authorization: ADMIN } })).json()
  const post = async (url: string, payload: object) => (await app.inject({ method: 'POST', url, headers: { authorization: ADMIN }, payload })).json()

  matchesSpec(t, 'OrgDetailsDTO', await get('/api/org'))
  matchesSpec(t, 'OrgDetailsDTO', await get('/api/orgs/1'))
  matchesSpec(t, 'UserProfileDTO', await get('/api/user'))
  matchesSpec(t, 'UserProfileDTO', await get('/api/users/1'))
  matchesSpec(t, 'SearchUserQueryResult', await get('/api/users/search'))
  for (const hit of await get('/api/users')) matchesSpec(t, 'UserSearchHitDTO', hit)
  for (const org of await get('/api/user/orgs')) matchesSpec(t, 'UserOrgDTO', org)
  for (const org of await get('/api/orgs')) matchesSpec(t, 'OrgDTO', org)
  for (const member of await get('/api/org/users')) matchesSpec(t, 'OrgUserDTO', member)
  matchesSpec(t, 'UserIdDTO', await post('/api/admin/users', { login: 'spec', password: 'spec-pass' }))

  matchesSpec(t, 'NewApiKeyResult', await post('/api/auth/keys', { name: 'k', role: 'Viewer', secondsToLive: 60 }))
  for (const key of await get('/api/auth/keys')) matchesSpec(t, 'ApiKeyDTO', key)

  const team = await post('/api/teams', { name: 'Core' })
  await post(`/api/teams/${team.teamId}/groups`, { groupId: 'core' })
  matchesSpec(t, 'TeamDTO', await get(`/api/teams/${team.teamId}`))
  matchesSpec(t, 'SearchTeamQueryResult', await get('/api/teams/search'))
  for (const g of await get(`/api/teams/${team.teamId}/groups`)) matchesSpec(t, 'TeamGroupDTO', g)
})
