// Prints the configuration table from conf/defaults.ini: the comment lines right above a key are
// its meaning, and every key needs its own (a key without one stops the script, naming it).
// Run `npm run docs:config` after adding keys and paste the output into docs/configuration.md.
import { readFileSync } from 'node:fs'

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
console.log(rows.join('\n'))
