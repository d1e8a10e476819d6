// Prints the README's configuration table from conf/defaults.ini: the comment lines above a key
// are its meaning. Run `npm run docs:config` after adding keys and paste the output into docs/configuration.md.
import { readFileSync } from 'node:fs'

const lines = readFileSync(new URL('../conf/defaults.ini', import.meta.url), 'utf8').split('\n')
const env = (section, key) => `GF_${section.toUpperCase().replace(/[.-]/g, '_')}_${key.toUpperCase().replace(/[.-]/g, '_')}`
const rows = ['| Section | Key | Default | Environment variable | Meaning |', '|---|---|---|---|---|']
let section = ''
let comment = []
let previous = null // meaning of the key on the line above, for keys grouped under one comment
for (const raw of lines) {
  const line = raw.trim()
  if (line === '' || line.startsWith('####')) { comment = []; previous = null; continue }
  const sec = /^\[(.+)\]$/.exec(line)
  if (sec) { section = sec[1]; comment = []; previous = null; continue }
  if (line.startsWith('#') || line.startsWith(';')) { comment.push(line.replace(/^[#;]\s?/, '')); continue }
  const kv = /^([\w.-]+)\s*=\s*(.*)$/.exec(line)
  if (!kv) continue
  const meaning = comment.length > 0 ? comment.join(' ').replace(/\|/g, '\\|') : previous ?? ''
  comment = []
  previous = meaning
  rows.push(`| \`[${section}]\` | \`${kv[1]}\` | ${kv[2] === '' ? '*(empty)*' : '`' + kv[2].replace(/\|/g, '\\|') + '`'} | \`${env(section, kv[1])}\` | ${meaning} |`)
}
console.log(rows.join('\n'))
