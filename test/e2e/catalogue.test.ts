// End-to-end: every catalogue tool (the built-ins beyond the first six, docs/tools/README.md) on
// one page at once, in real Chromium, under a strict nonce CSP, with the script-tag build from
// `npm run build`. Each tool has a fixture, `fixtures/catalogue/<component>.json`:
//   { "entry": <its config entry, as Zaraz exports it>,
//     "query": <optional: a query the page URL carries for it, e.g. a click id>,
//     "expect": { "pageview" | "track" | "ecommerce": [{ "url": <endpoint prefix>, "has": [<text>…] }],
//                 "cookies": <optional: { <name>: <value> } first-party cookies the page has after its pageview> } }
// After the page's first pageview, `zaraz.track('Signup', …)` and `zaraz.ecommerce('Order
// Completed', …)`, each expectation needs a request whose URL starts with `url` and whose URL and
// body (both URL-decoded) contain every `has` text (the vendor's id, its event name…). Every
// request to another origin is answered locally (context.route): nothing reaches the internet.
import type { Server } from 'node:http'
import { readFile, readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { BUILT_IN_TOOLS } from '../../src/tools/built-ins'
import { launchChromium, missingFromDist } from './browser'
import { startPageServer } from './page-server'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))
const FIXTURES = fileURLToPath(new URL('./fixtures/catalogue/', import.meta.url))
/** The first six built-ins have their own e2e test (tools.test.ts). */
const FIRST_SIX = ['http-request', 'custom-image', 'custom-html', 'google-analytics-4', 'facebook-pixel', 'google-ads']
const CATALOGUE = BUILT_IN_TOOLS.filter((name) => !FIRST_SIX.includes(name))
const PHASES = ['pageview', 'track', 'ecommerce'] as const

interface Expectation {
  url: string
  has: string[]
}
interface Fixture {
  entry: Record<string, unknown> & { component: string }
  query?: string
  expect: Partial<Record<(typeof PHASES)[number], Expectation[]>> & { cookies?: Record<string, string> }
}
interface Seen {
  method: string
  text: string
}

const ORDER = {
  order_id: 'order-e2e-1',
  total: 59.9,
  currency: 'EUR',
  products: [{ product_id: 'p1', sku: 'SKU-1', name: 'Tee', category: 'shirts', price: 29.95, quantity: 2 }],
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

function page(config: unknown, nonce: string): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Catalogue fixture</title>
<script nonce="${nonce}">window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))</script>
<script type="application/json" id="zaraz-config">${json}</script>
<script async src="/dist/tagrelay.min.js" nonce="${nonce}"></script>
</head><body><h1>Catalogue</h1></body></html>`
}

describe('the catalogue tools, all on one page in Chromium', () => {
  const fixtures = new Map<string, Fixture>()
  let browser: Browser
  let context: BrowserContext
  let tab: Page
  let server: Server
  let origin: string
  const seen: Seen[] = []
  const errors: string[] = []

  beforeAll(async () => {
    for (const file of (await readdir(FIXTURES)).filter((f) => f.endsWith('.json')).sort()) {
      fixtures.set(file.replace(/\.json$/, ''), JSON.parse(await readFile(FIXTURES + file, 'utf8')))
    }
    const missing = missingFromDist(DIST, ['tagrelay.min.js', ...CATALOGUE.map((t) => `tools/${t}.min.js`)])
    if (missing.length) throw new Error(`Missing build output: ${missing.join(', ')}. Run \`npm run build\` first.`)
    const tools: Record<string, unknown> = {}
    for (const [name, fixture] of fixtures) tools[`t-${name}`] = fixture.entry
    const config = { settings: { ecommerce: true }, tools }
    ;({ server, origin } = await startPageServer((path, nonce) =>
      path == '/'
        ? { html: page(config, nonce), csp: `default-src 'self'; script-src 'nonce-${nonce}' https:; img-src 'self' https:; connect-src 'self' https:; frame-src https:` }
        : undefined,
    ))
    browser = await launchChromium()
    context = await browser.newContext()
    await context.route('**/*', async (route) => {
      const req = route.request()
      const url = new URL(req.url())
      if (url.origin == origin) return route.continue()
      seen.push({ method: req.method(), text: decode(url.href) + '\n' + decode(req.postData() ?? '') })
      const cors = { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-headers': 'content-type' }
      if (req.resourceType() == 'script') return route.fulfill({ status: 200, headers: { 'content-type': 'text/javascript' }, body: '' })
      return route.fulfill({ status: 200, headers: { 'content-type': 'text/plain', ...cors }, body: '' })
    })
    tab = await context.newPage()
    tab.on('pageerror', (e) => errors.push(String(e)))
    const query = [...fixtures.values()].map((f) => f.query).filter(Boolean).join('&')
    await tab.goto(origin + '/' + (query ? '?' + query : ''))
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })

  /** The expectations of a phase that no request seen so far meets, as `component: url has …` lines. */
  const unmet = (phase: (typeof PHASES)[number]) => {
    const out: string[] = []
    for (const [name, fixture] of fixtures)
      for (const e of fixture.expect[phase] ?? []) {
        const met = seen.some((s) => s.text.startsWith(e.url) && e.has.every((h) => s.text.includes(h)))
        if (!met) out.push(`${name}: ${e.url} with ${e.has.join(', ')}`)
      }
    return out
  }

  test('every catalogue tool has a fixture, and every fixture expects its pageview or events', () => {
    expect(CATALOGUE.filter((name) => !fixtures.has(name))).toEqual([])
    for (const [name, fixture] of fixtures) {
      expect(fixture.entry.component, name).toBe(name)
      expect(PHASES.some((p) => fixture.expect[p]?.length) || Object.keys(fixture.expect.cookies ?? {}).length > 0, name).toBe(true)
    }
  })

  test('the first pageview reaches each vendor with its id', async () => {
    await expect.poll(() => unmet('pageview')).toEqual([])
  })

  test('the first pageview leaves the first-party cookies tools keep', async () => {
    const expected = Object.assign({}, ...[...fixtures.values()].map((f) => f.expect.cookies ?? {}))
    const names = Object.keys(expected)
    await expect.poll(async () => Object.fromEntries((await context.cookies(origin)).filter((c) => names.includes(c.name)).map((c) => [c.name, c.value]))).toEqual(expected)
  })

  test('a track reaches each vendor that takes events', async () => {
    await tab.evaluate(() => (window as unknown as { zaraz: { track(n: string, p: unknown): Promise<unknown> } }).zaraz.track('Signup', { plan: 'pro', value: 12 }))
    await expect.poll(() => unmet('track')).toEqual([])
  })

  test('an order reaches each vendor that takes e-commerce; no page error, no CSP violation', async () => {
    await tab.evaluate((order) => (window as unknown as { zaraz: { ecommerce(n: string, p: unknown): Promise<unknown> } }).zaraz.ecommerce('Order Completed', order), ORDER)
    await expect.poll(() => unmet('ecommerce')).toEqual([])
    expect(errors).toEqual([])
    expect(await tab.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
  })
})
