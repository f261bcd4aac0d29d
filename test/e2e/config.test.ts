// An invalid config on the script tag: the runtime stays inert and says, in words, what is wrong
// at which path (the words are the `config-messages` chunk, fetched only for an invalid config).
import { describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser, withoutBuildId } from './browser'

describe('an invalid config in Chromium', () => {
  const fx = fixtureServerAndBrowser('delivery')


  it('names the bad path in words, sends nothing, and never throws into the page', async () => {
    const page = await fx.browser.newPage()
    const errors: string[] = []
    const uncaught: string[] = []
    const scripts: string[] = []
    page.on('console', (m) => m.type() == 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => uncaught.push(e.message))
    page.on('request', (r) => r.resourceType() == 'script' && scripts.push(new URL(r.url()).pathname))
    await page.goto(fx.server.url + '/invalid.html')
    const result = await page.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('clicked'))
    expect(result).toEqual({ return: {} })
    expect(errors.join('\n')).toContain('tools.collector.actions.a1.firingTriggers[0]: unknown trigger "nope"')
    expect(scripts.some((s) => withoutBuildId(s).endsWith('/config-messages.min.js'))).toBe(true)
    expect(fx.server.collected).toEqual([])
    expect(uncaught).toEqual([])
    await page.close()
  })
})
