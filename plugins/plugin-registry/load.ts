// Reads every <plugins dir>/<folder>/plugin.json once at start. A broken plugin is skipped with a
// reason (the server still starts); Grafana likewise needs a restart to see plugin.json changes.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compilePlugin, type Plugin } from './compile.js'

export interface Skipped { file: string, reason: string }

export function loadPlugins (dir: string): { plugins: Map<string, Plugin>, skipped: Skipped[] } {
  const plugins = new Map<string, Plugin>()
  const skipped: Skipped[] = []
  if (!existsSync(dir)) return { plugins, skipped }
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue
    const file = [join(dir, entry.name, 'plugin.json'), join(dir, entry.name, 'dist', 'plugin.json')].find(f => existsSync(f))
    if (file === undefined) continue
    try {
      let json: unknown
      try {
        json = JSON.parse(readFileSync(file, 'utf8'))
      } catch (err) {
        throw new Error(`not valid JSON (${(err as Error).message})`)
      }
      const plugin = compilePlugin(json)
      if (plugins.has(plugin.id)) throw new Error(`plugin id "${plugin.id}" is already used by another folder`)
      plugins.set(plugin.id, plugin)
    } catch (err) {
      skipped.push({ file, reason: (err as Error).message })
    }
  }
  return { plugins, skipped }
}
