// An invalid config on the script tag: the runtime stays inert and says, in words, what is wrong
// at which path (the words are the `config-messages` chunk, fetched only for an invalid config).
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { startDemoServer, type DemoServer } from './demo-server'

describe('an invalid config in Chromium', () => {
  let server: DemoServer
  let browser: Browser

  beforeAll(async () => {
    server = await startDemoServer({ port: 0, quiet: true, root: join(__dirname, 'fixtures/delivery') })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('names the bad path in words, sends nothing, and never throws into the page', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    const uncaught: string[] = []
    const scripts: string[] = []
    page.on('console', (m) => m.type() == 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => uncaught.push(e.message))
    page.on('request', (r) => r.resourceType() == 'script' && scripts.push(new URL(r.url()).pathname))
    await page.goto(server.url + '/invalid.html')
    const result = await page.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('clicked'))
    expect(result).toEqual({ return: {} })
    expect(errors.join('\n')).toContain('tools.collector.actions.a1.firingTriggers[0]: unknown trigger "nope"')
    expect(scripts.some((s) => s.endsWith('/config-messages.min.js'))).toBe(true)
    expect(server.collected).toEqual([])
    expect(uncaught).toEqual([])
    await page.close()
  })
})
