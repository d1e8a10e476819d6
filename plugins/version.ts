// The running version, from package.json (and GATEHOUSE_COMMIT when a build sets it).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { homePath } from '../config/load.js'

const pkg = JSON.parse(readFileSync(join(homePath(), 'package.json'), 'utf8')) as { version: string }

export const VERSION: string = pkg.version
export const COMMIT: string = process.env.GATEHOUSE_COMMIT ?? 'unknown'
