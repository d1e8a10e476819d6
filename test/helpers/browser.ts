// Real headless Chromium (Debian's, through playwright-core) against a listening Gatehouse: the
// web UI tests' shared steps. Screenshots go to test/artifacts/ (not committed) for a reviewer.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build, dbKind, type Built } from './build.js'

export const CHROMIUM = '/usr/bin/chromium'
// The pages never see which database serves the API, so the browser suite runs once, on the
// embedded database (`npm test`); the PostgreSQL pass keeps CI under its time budget.
export const skip = !existsSync(CHROMIUM)
  ? 'Debian chromium is not installed (.ci/run installs it)'
  : dbKind === 'postgres' ? 'browser tests run on the embedded database (npm test)' : false
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic']
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url))

interface Teardown { teardown: (fn: () => unknown) => void }

export interface Served extends Built {
  /** http://127.0.0.1:<port> plus the sub path, with no trailing slash. */
  url: string
}

export async function serve (t: Teardown, overrides: Parameters<typeof build>[1] = {}, path = ''): Promise<Served> {
  const built = await build(t, overrides)
  await built.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...built, url: `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}${path}` }
}

export async function launch (t: Teardown): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  t.teardown(() => browser.close())
  return browser
}

/** Script errors and failed console lines of a page, to assert there were none. */
export function watchErrors (page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', err => errors.push(`pageerror: ${err.message}`))
  page.on('console', msg => { if (msg.type() === 'error' && !/status of (4|5)\d\d/.test(msg.text())) errors.push(`console: ${msg.text()}`) })
  return errors
}

export async function newPage (browser: Browser, opts: Parameters<Browser['newContext']>[0] = {}): Promise<{
  context: BrowserContext, page: Page, errors: string[]
}> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  return { context, page, errors: watchErrors(page) }
}

export async function signIn (page: Page, url: string, user = 'admin', password = 'admin'): Promise<void> {
  await page.goto(`${url}/login`)
  await page.getByLabel('Email or username').fill(user)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // The default password gets Grafana's "Update your password" step first; these tests skip it.
  if (password === 'admin') await page.getByRole('button', { name: 'Skip' }).click()
  await page.waitForURL(u => !u.pathname.endsWith('/login'))
}

export async function shot (page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true })
}

/** Inputs, selects and textareas on the page that no label names (should be none). */
export async function unlabelled (page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter(el => (el as HTMLInputElement).type !== 'hidden')
    .filter(el => (el as HTMLInputElement).labels?.length === 0 && !el.hasAttribute('aria-label') && !el.hasAttribute('aria-labelledby'))
    .map(el => el.outerHTML.slice(0, 120)))
}
