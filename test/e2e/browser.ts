// The e2e tests launch Chromium the one way the project does (scripts/chromium.mjs, shared with the benchmarks).
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from '../../scripts/chromium.mjs'
import { startDemoServer, type DemoServer } from './demo-server'

export { CHROMIUM_PATH, launchChromium } from '../../scripts/chromium.mjs'

/** A script-tag file's name without the build id (`outbox.3f9a1c2e.min.js` is `outbox.min.js`; rollup.config.ts). */
export const withoutBuildId = (file: string) => file.replace(/\.[0-9a-f]{8}(?=\.min\.js$)/, '')

/** Which of `files` (named without the build id) dist/ lacks. */
export const missingFromDist = (dist: string, files: string[]) => {
  const built = new Set(['', 'tools/'].flatMap((dir) => (existsSync(dist + dir) ? readdirSync(dist + dir).map((f) => dir + withoutBuildId(f)) : [])))
  return files.filter((f) => !built.has(f))
}

/** The names, without the build id, of the page's script elements' files. */
export const scriptFiles = (srcs: string[]) => srcs.map((src) => withoutBuildId(src.split('/').pop()!))

/**
 * For the tests of the calling `describe`: the demo server on `test/e2e/fixtures/<dir>` (its
 * collector records what arrives) and one Chromium, both closed after the last test.
 */
export function fixtureServerAndBrowser(dir: string): { server: DemoServer; browser: Browser } {
  const fx = {} as { server: DemoServer; browser: Browser }
  beforeAll(async () => {
    fx.server = await startDemoServer({ port: 0, quiet: true, root: join(__dirname, 'fixtures', dir) })
    fx.browser = await launchChromium()
  })
  afterAll(async () => {
    await fx.browser?.close()
    await fx.server?.close()
  })
  return fx
}
