// runCli(): the built `gatehouse` command (dist/cli.js, the package's bin) as a real process.
import { spawn, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..', '..')

let built = false
/** Builds dist/ when stale (scripts/build-if-stale.mjs: one build at a time, the others wait for it). */
export function buildOnce (): void {
  if (built) return
  const result = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`)
  built = true
}

export interface CliResult { code: number | null, stdout: string, stderr: string }

export async function runCli (args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  buildOnce()
  // Only what the test gives: no GF_ variable of the machine running the tests leaks in.
  const proc = spawn(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', d => { stdout += d })
  proc.stderr.on('data', d => { stderr += d })
  proc.stdin.end(stdin ?? '')
  const code = await new Promise<number | null>(resolve => proc.on('exit', resolve))
  return { code, stdout, stderr }
}
