// Run after `tsc` by `npm run build`: writes dist/pglite-seed-<pglite version>/, the empty
// cluster a first start on an empty embedded data directory loads instead of running initdb.
// Silent when it exists already (`npm run cli` builds before every command).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { seedPath, writeSeed } from '../dist/plugins/db/embedded.js'

if (!existsSync(join(seedPath(), 'PG_VERSION'))) process.stdout.write(`embedded database seed: ${await writeSeed()}\n`)
