// End-to-end: all six built-in tools on one page, in real Chromium, under a strict nonce CSP, with
// the script-tag build from `npm run build`. Every request to a vendor is intercepted and answered
// locally (context.route): nothing reaches the internet.
import type { Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'

// Tool chunks load over the (local) network: give conditions time to become true.
vi.setConfig({ expect: { poll: { timeout: 15_000 } } })
import { launchChromium, missingFromDist } from './browser'
import { startPageServer } from './page-server'

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/tools/index.html', import.meta.url))
const TOOLS = ['google-analytics-4', 'facebook-pixel', 'google-ads', 'custom-html', 'custom-image', 'http-request']

interface Seen {
  method: string
  url: URL
  body: string | null
}

/** The fixture page, with its nonce, and its CSP. */
const fixturePage = async (path: string, nonce: string) =>
  path == '/'
    ? {
        html: (await readFile(FIXTURE, 'utf8')).split('{{NONCE}}').join(nonce),
        csp: `default-src 'self'; script-src 'nonce-${nonce}'; img-src 'self' https:; connect-src 'self' https:`,
      }
    : undefined

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

describe('the six built-in tools in Chromium', () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let server: Server
  let origin: string
  const seen: Seen[] = []
  const escaped: string[] = []

  beforeAll(async () => {
    const missing = missingFromDist(DIST, ['tagrelay.min.js', ...TOOLS.map((t) => `tools/${t}.min.js`)])
    if (missing.length) throw new Error(`Missing build output: ${missing.join(', ')}. Run \`npm run build\` first.`)
    ;({ server, origin } = await startPageServer(fixturePage))
    browser = await launchChromium()
    context = await browser.newContext()
    await context.route('**/*', async (route) => {
      const req = route.request()
      const url = new URL(req.url())
      if (url.origin == origin) return route.continue()
      if (!url.hostname.endsWith('.example') && !/google|facebook|doubleclick/.test(url.hostname)) {
        escaped.push(url.href)
        return route.abort()
      }
      seen.push({ method: req.method(), url, body: req.postData() })
      const cors = { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-headers': 'content-type' }
      if (url.hostname == 'cdn.vendor.example') return route.fulfill({ status: 200, headers: { 'content-type': 'text/javascript' }, body: "window.__lib = 'loaded'; window.__order.push('external')" })
      if (url.pathname.endsWith('.gif') || url.hostname == 'www.facebook.com') return route.fulfill({ status: 200, headers: { 'content-type': 'image/gif', ...cors }, body: GIF })
      return route.fulfill({ status: 204, headers: cors })
    })
    page = await context.newPage()
    await page.goto(origin + '/')
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })

  const hits = (host: string, path: string) => seen.filter((s) => s.url.hostname == host && s.url.pathname.startsWith(path))
  const param = (s: Seen, k: string) => s.url.searchParams.get(k)

  test('the first pageview reaches every vendor', async () => {
    await expect.poll(() => hits('www.google-analytics.com', '/g/collect').map((s) => param(s, 'en'))).toEqual(['page_view'])
    await expect.poll(() => hits('www.facebook.com', '/tr/').map((s) => param(s, 'ev'))).toEqual(['PageView'])
    await expect.poll(() => hits('googleads.g.doubleclick.net', '/pagead/viewthroughconversion/555666/').length).toBe(1)
    await expect.poll(() => hits('px.vendor.example', '/p.gif').map((s) => param(s, 'e'))).toEqual(['Pageview'])
    await expect.poll(() => hits('collect.vendor.example', '/c').filter((s) => s.method == 'POST').map((s) => JSON.parse(s.body!).event)).toEqual(['Pageview'])
    const ga = hits('www.google-analytics.com', '/g/collect')[0]
    expect([ga.method, param(ga, 'tid'), param(ga, 'dl'), param(ga, '_fv'), param(ga, '_ss')]).toEqual(['POST', 'G-E2E', origin + '/', '1', '1'])
    expect(param(hits('www.facebook.com', '/tr/')[0], 'id')).toBe('1112223334')
  })

  test('the vendors’ first-party cookies are set', async () => {
    await expect.poll(async () => (await context.cookies(origin)).map((c) => c.name).sort()).toEqual(expect.arrayContaining(['_fbp', '_ga', '_ga_E2E']))
    const cookies = Object.fromEntries((await context.cookies(origin)).map((c) => [c.name, c.value]))
    expect(cookies._ga).toMatch(/^GA1\.1\.\d+\.\d+$/)
    expect(cookies._fbp).toMatch(/^fb\.1\.\d+\.\d+$/)
    expect(param(hits('www.google-analytics.com', '/g/collect')[0], 'cid')).toBe(cookies._ga.split('.').slice(2).join('.'))
  })

  test('Custom HTML ran its scripts in document order under the nonce CSP, the external one awaited, an SVG <script> with its own text', async () => {
    await expect.poll(() => page.evaluate(() => (window as unknown as { __order: string[] }).__order)).toEqual(['inline-1', 'external', 'inline-2:loaded', 'svg'])
    expect(await page.evaluate(() => document.getElementById('chtml')?.textContent)).toBe('hello')
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
  })

  test('an order reaches GA4, Meta, Google Ads (conversion) and the collector with the mapped names', async () => {
    await page.evaluate(() =>
      (window as unknown as { zaraz: { ecommerce(n: string, p: unknown): Promise<unknown> } }).zaraz.ecommerce('Order Completed', {
        order_id: 'o-1',
        total: 59.9,
        currency: 'EUR',
        products: [{ product_id: 'p1', name: 'Tee', price: 29.95, quantity: 2 }],
      }),
    )
    await expect.poll(() => hits('www.google-analytics.com', '/g/collect').map((s) => param(s, 'en'))).toEqual(['page_view', 'purchase'])
    const ga = hits('www.google-analytics.com', '/g/collect')[1]
    expect([param(ga, 'ep.transaction_id'), param(ga, 'epn.value'), param(ga, 'cu'), param(ga, 'pr1')]).toEqual(['o-1', '59.9', 'EUR', 'idp1~nmTee~pr29.95~qt2'])
    await expect.poll(() => hits('www.facebook.com', '/tr/').map((s) => param(s, 'ev'))).toEqual(['PageView', 'Purchase'])
    expect(param(hits('www.facebook.com', '/tr/')[1], 'cd[value]')).toBe('59.9')
    await expect.poll(() => hits('www.googleadservices.com', '/pagead/conversion/555666/').map((s) => [param(s, 'label'), param(s, 'transaction_id')])).toEqual([['buyLbl', 'o-1']])
    await expect.poll(() => hits('collect.vendor.example', '/c').filter((s) => s.method == 'POST').map((s) => JSON.parse(s.body!).event)).toEqual(['Pageview', 'Order Completed'])
  })

  test('an SPA navigation sends new pageviews, but Custom HTML with ignoreSPA does not run again; nothing left the machine', async () => {
    await page.evaluate(() => (window as unknown as { zaraz: { spaPageview(): Promise<unknown> } }).zaraz.spaPageview())
    await expect.poll(() => hits('www.google-analytics.com', '/g/collect').map((s) => param(s, 'en'))).toEqual(['page_view', 'purchase', 'page_view'])
    expect(await page.evaluate(() => document.querySelectorAll('#chtml').length)).toBe(1)
    expect(hits('cdn.vendor.example', '/lib.js')).toHaveLength(1)
    expect(escaped).toEqual([])
  })
})
