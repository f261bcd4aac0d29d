// The e2e tests launch Chromium the one way the project does (scripts/chromium.mjs, shared with the benchmarks).
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from '../../scripts/chromium.mjs'
import { startDemoServer, type DemoServer } from './demo-server'

export { CHROMIUM_PATH, launchChromium } from '../../scripts/chromium.mjs'

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
