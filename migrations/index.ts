// Every migration, in order. Listed explicitly so tsc, tsx and tap all see the same set.
import type { Migration } from 'kysely'
import * as m0001 from './0001_users_orgs.js'
import * as m0002 from './0002_api_keys.js'
import * as m0003 from './0003_teams.js'
import * as m0004 from './0004_datasources.js'
import * as m0005 from './0005_dashboards.js'

export const migrations: Record<string, Migration> = {
  '0001_users_orgs': m0001,
  '0002_api_keys': m0002,
  '0003_teams': m0003,
  '0004_datasources': m0004,
  '0005_dashboards': m0005
}
