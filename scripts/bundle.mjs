// Run after `tsc` by `npm run build`: rewrites dist/server.js as one bundled module (plus the
// lazily imported parts in dist/chunks/: the embedded database, the Redis broker).
//
// Why (issue 14): Node 20 loads ~1,500 module files at start (typebox alone ~370, kysely ~260),
// each resolved, read and compiled on its own; that was ~900 ms of a PostgreSQL start's CPU and
// ~16 MB of RSS. The bundle loads in ~260 ms. Only `node dist/server.js` runs the bundle: the CLI,
// tests and `npm run dev` use the per-file output as before. Kept external: PGlite (finds its
// WebAssembly files beside its own modules), @fastify/swagger-ui (serves its files from beside
// its own modules) and optional native add-ons that are not installed.
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const dist = join(import.meta.dirname, '..', 'dist')
const entry = join(dist, 'server.js')
const MARK = '// gatehouse bundle'

// Bundling the bundle would follow imports of chunks this run deletes: only tsc's output is an entry.
if (!readFileSync(entry, 'utf8').startsWith(MARK)) {
  rmSync(join(dist, 'chunks'), { recursive: true, force: true })
  await build({
    entryPoints: [entry],
    outdir: dist,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    external: ['@electric-sql/pglite', '@fastify/swagger', '@fastify/swagger-ui', 'pino', 'ioredis', 'pg-native', 'bufferutil', 'utf-8-validate'],
    // CommonJS dependencies call require(): give the ES module one.
    banner: { js: `${MARK}\nimport { createRequire as gatehouseRequire } from 'node:module'; const require = gatehouseRequire(import.meta.url);` }
  })
}
