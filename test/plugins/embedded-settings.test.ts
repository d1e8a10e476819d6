// The embedded database's memory settings and first-start seed (issue 14): a PGlite opened by
// Gatehouse runs with 16 MB of shared buffers and, on an empty directory, loads the seed when
// `npm run build` has written it, and the data written then persists across a reopen.
import t from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEmbedded, seedPath } from '../../plugins/db/embedded.js'

t.setTimeout(600_000)

t.test('an embedded database opens with 16 MB of shared buffers and keeps what is written', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-embedded-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const first = await openEmbedded(dir)
  t.same((await first.query<{ sb: string }>("select current_setting('shared_buffers') as sb")).rows, [{ sb: '16MB' }])
  await first.exec('create table kept (n int); insert into kept values (42)')
  await first.close()
  t.ok(existsSync(join(dir, 'PG_VERSION')), 'a real cluster on disk' + (existsSync(seedPath()) ? ' (from the seed)' : ' (initdb: no seed built)'))
  const again = await openEmbedded(dir)
  t.same((await again.query('select n from kept')).rows, [{ n: 42 }])
  await again.close()
})
