// Prints the configuration table from conf/defaults.ini: the comment lines right above a key are
// its meaning, and every key needs its own (a key without one stops the script, naming it).
// `npm run docs:config` rewrites the table at the end of docs/configuration.md; `--check` (CI, and
// test/docs/config-table.test.ts) exits 1 when the table there is not the one defaults.ini gives.
import { readFileSync, writeFileSync } from 'node:fs'

const lines = readFileSync(new URL('../conf/defaults.ini', import.meta.url), 'utf8').split('\n')
const env = (section, key) => `GF_${section.toUpperCase().replace(/[.-]/g, '_')}_${key.toUpperCase().replace(/[.-]/g, '_')}`
const rows = ['| Section | Key | Default | Environment variable | Meaning |', '|---|---|---|---|---|']
let section = ''
let comment = []
const missing = []
for (const raw of lines) {
  const line = raw.trim()
  if (line === '' || line.startsWith('####')) { comment = []; continue }
  const sec = /^\[(.+)\]$/.exec(line)
  if (sec) { section = sec[1]; comment = []; continue }
  if (line.startsWith('#') || line.startsWith(';')) { comment.push(line.replace(/^[#;]\s?/, '')); continue }
  const kv = /^([\w.-]+)\s*=\s*(.*)$/.exec(line)
  if (!kv) continue
  if (comment.length === 0) missing.push(`[${section}] ${kv[1]}`)
  const meaning = comment.join(' ').replace(/\|/g, '\\|')
  comment = []
  rows.push(`| \`[${section}]\` | \`${kv[1]}\` | ${kv[2] === '' ? '*(empty)*' : '`' + kv[2].replace(/\|/g, '\\|') + '`'} | \`${env(section, kv[1])}\` | ${meaning} |`)
}
if (missing.length > 0) {
  console.error(`conf/defaults.ini: no comment above ${missing.join(', ')}: give each key its own meaning`)
  process.exit(1)
}
const docs = new URL('../docs/configuration.md', import.meta.url)
const text = readFileSync(docs, 'utf8')
const start = text.indexOf('| Section | Key |')
if (start < 0) { console.error('docs/configuration.md: no configuration table to replace'); process.exit(1) }
const wanted = text.slice(0, start) + rows.join('\n') + '\n'
if (process.argv.includes('--check')) {
  if (wanted !== text) {
    console.error('docs/configuration.md: the key table is not current: run `npm run docs:config`')
    process.exit(1)
  }
} else {
  writeFileSync(docs, wanted)
}
