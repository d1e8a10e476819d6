// `gatehouse config check|show`: the configuration as the server would load it, before starting it.
import type { Command } from 'commander'
import { inspectConfig, type InspectedConfig } from '../config/load.js'
import { ConfigError } from '../config/errors.js'

const MASK = '*****'

function inspect (cmd: Command): InspectedConfig {
  const { config } = cmd.optsWithGlobals<{ config?: string }>()
  return inspectConfig({ argv: config === undefined ? [] : ['--config', config] })
}

export function configCommands (program: Command): void {
  const config = program.command('config').description('check or show the configuration')
  config.command('check')
    .description('load defaults.ini, the custom ini and GF_ variables like the server; print every error and warning; exit 2 on any error')
    .action((_opts: unknown, cmd: Command) => {
      const result = inspect(cmd)
      for (const w of result.warnings) process.stdout.write(`warning: ${w}\n`)
      if (result.errors.length > 0) throw new ConfigError(result.errors)
      process.stdout.write(`configuration OK (${result.files.join(', ')})\n`)
    })
  config.command('show')
    .description('print the effective configuration, each value with where it came from; secrets are masked')
    .option('--section <name>', 'only this section, e.g. server or auth.proxy')
    .action((opts: { section?: string }, cmd: Command) => {
      const result = inspect(cmd)
      const sections = [...result.raw.keys()].filter(s => opts.section === undefined || s === opts.section)
      if (sections.length === 0) throw new ConfigError(`no section [${opts.section ?? ''}]`)
      const out: string[] = []
      for (const section of sections) {
        const keys = result.raw.get(section)!
        if (out.length > 0) out.push('')
        if (section !== '') out.push(`[${section}]`)
        const lines = [...keys].map(([key, value]) => [`${key} = ${shown(key, value)}`, result.sources.get(section)?.get(key) ?? 'default'] as const)
        const width = Math.max(...lines.map(([l]) => l.length))
        for (const [line, source] of lines) out.push(`${line.padEnd(width)}  ; ${source}`)
      }
      process.stdout.write(out.join('\n') + '\n')
      if (result.errors.length > 0) throw new ConfigError(result.errors)
    })
}

/** Secrets (secret_key, passwords, client secrets, a password inside a URL) never leave as text. */
function shown (key: string, value: string): string {
  if (value === '') return value
  if (/password|secret/i.test(key)) return MASK
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^/@]*@/i, `$1${MASK}@`)
}
