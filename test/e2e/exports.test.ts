// A Zaraz export as it is, in Chromium under a nonce CSP with Trusted Types enforced: the tools send
// with the permissions Zaraz lists for them (CONTRACT.md §9), and client.execute calls each run in
// a scope of their own. Vendor requests are answered locally (context.route): nothing leaves.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

type Win = Window & { ran: unknown[]; violations: string[] }

describe('a Zaraz export in Chromium', () => {
  const fx = fixtureServerAndBrowser('exports')
  let context: BrowserContext
  let page: Page
  const vendor: URL[] = []
  const problems: string[] = []

  beforeAll(async () => {
    context = await fx.browser.newContext()
    const origin = new URL(fx.server.url).origin
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url())
      if (url.origin == origin && route.request().resourceType() != 'document') return route.continue()
      if (url.origin == origin) {
        // The page's CSP as a site with these vendors has it: their hosts allowed for images and requests.
        const response = await route.fetch()
        const csp = response.headers()['content-security-policy'].replace(/(img|connect)-src 'self'/g, "$1-src 'self' https:")
        return route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } })
      }
      vendor.push(url)
      return route.fulfill({ status: 204, headers: { 'access-control-allow-origin': origin } })
    })
    page = await context.newPage()
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    page.on('console', (m) => m.type() == 'error' && problems.push(`console.error: ${m.text()}`))
    await page.goto(fx.server.url + '/')
  })
  afterAll(() => context?.close())

  const sent = (host: string, path: string) => vendor.filter((u) => u.host == host && u.pathname == path)

  it('GA4, Meta Pixel, Google Ads and HTTP Request send the first pageview with the exported permissions', async () => {
    await expect.poll(() => sent('www.google-analytics.com', '/g/collect').map((u) => u.searchParams.get('tid'))).toEqual(['G-EXPORT'])
    await expect.poll(() => sent('www.facebook.com', '/tr/').map((u) => u.searchParams.get('ev'))).toEqual(['PageView'])
    await expect.poll(() => sent('googleads.g.doubleclick.net', '/pagead/viewthroughconversion/987654/').length).toBe(1)
    await expect.poll(() => fx.server.collected.filter((r) => r.path == '/collect').map((r) => r.body)).toEqual([{ event: 'Pageview' }])
  })

  it('the built-in LinkedIn tool sends an event with its exported permission', async () => {
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('Lead'))
    await expect.poll(() => sent('px.ads.linkedin.com', '/collect/').map((u) => [u.searchParams.get('pid'), u.searchParams.get('conversionId')])).toEqual([['5551234', '777']])
  })

  it('two client.execute calls declaring the same const both run; function declarations and var still reach the page', async () => {
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).ran)).toEqual(['first', 'second', 'fn', 'var'])
    expect(await page.evaluate(() => (window as unknown as Win).violations)).toEqual([])
    expect(problems).toEqual([])
  })
})
