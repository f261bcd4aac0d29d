// End-to-end: the demo shop in real (headless) Chromium, under a strict CSP, with the runtime built
// by `npm run build`, talking to the demo server's collector. See docs/demo.md.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { startDemoServer, type CollectedRequest, type DemoServer } from './demo-server'

type Json = Record<string, any>

interface DemoCall {
  label: string
  args: unknown[]
  passed?: unknown[]
  state: 'pending' | 'resolved' | 'rejected'
  value?: unknown
  error?: string
  calledAt: number
}

declare global {
  interface Window {
    tagrelayDemo: { calls: DemoCall[] }
    __e2eCspViolations: string[]
  }
}

/** What the page's `window.zaraz` looks like to these tests (only the calls they make). */
interface ZarazLike {
  track(name: string, props?: Record<string, unknown>): Promise<unknown>
}

const DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url))
const REQUIRED_BUILD_OUTPUTS = ['tagrelay.min.js', 'snippet.min.js']
const WAIT_MS = 15_000
const PAGE_TITLE = 'Tagrelay Demo Shop'

function assertBuilt(): void {
  const missing = REQUIRED_BUILD_OUTPUTS.filter((f) => !existsSync(DIST_DIR + f))
  if (missing.length > 0) {
    throw new Error(
      `Missing build output: ${missing.map((f) => 'dist/' + f).join(', ')}. ` +
        'Run `npm run build` before the e2e tests (`npm test` does it for you).',
    )
  }
}

// --- expected e-commerce parameters: exactly what examples/shop/shop.js passes ---------------------

const TEE = {
  product_id: 'sku-1',
  sku: 'RG-TEE-BLK-M',
  name: 'Relay Tee',
  category: 'Apparel',
  brand: 'Relay Goods',
  variant: 'Black / M',
  price: 24,
}
const MUG = {
  product_id: 'sku-2',
  sku: 'RG-MUG-350',
  name: 'Signal Mug',
  category: 'Kitchen',
  brand: 'Relay Goods',
  variant: '350 ml',
  price: 12.5,
}
const CART_PRODUCTS = [
  { ...TEE, quantity: 1 },
  { ...MUG, quantity: 1 },
]
const EXPECTED_ECOMMERCE = {
  productViewed: { ...TEE, currency: 'EUR', position: 1 },
  teeAdded: { ...TEE, currency: 'EUR', position: 1, quantity: 1 },
  mugAdded: { ...MUG, currency: 'EUR', position: 2, quantity: 1 },
  checkoutStarted: { checkout_id: 'co-1', value: 36.5, currency: 'EUR', products: CART_PRODUCTS },
  orderCompleted: {
    checkout_id: 'co-1',
    order_id: 'RG-1001',
    affiliation: 'Relay Goods web',
    total: 48.7,
    revenue: 36.5,
    shipping: 4.9,
    tax: 7.3,
    currency: 'EUR',
    products: CART_PRODUCTS,
  },
}

// --- collector helpers ---------------------------------------------------------------------------

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describeRequest(r: CollectedRequest): string {
  if (isObject(r.body)) {
    const { system: _system, ...rest } = r.body
    return `${r.method} ${r.path} ${JSON.stringify(rest)}`
  }
  return `${r.method} ${r.path} query=${JSON.stringify(r.query)} body=${JSON.stringify(r.body)}`
}

/** The http-request tool's requests ("collector" tool), in arrival order. */
function collectorRequests(server: DemoServer): CollectedRequest[] {
  return server.collected.filter((r) => r.path === '/collect' && isObject(r.body) && r.body.tool === 'collector')
}

function collectorEvents(server: DemoServer, event: string): Json[] {
  return collectorRequests(server)
    .map((r) => r.body as Json)
    .filter((b) => b.event === event)
}

function pixelRequests(server: DemoServer): CollectedRequest[] {
  return server.collected.filter((r) => r.path === '/collect/pixel')
}

interface WatchedPage {
  context: BrowserContext
  page: Page
  /** console errors, CSP reports, uncaught errors, failed or 4xx/5xx requests */
  problems: string[]
  /** The event of each POST /collect, in the order the page issued them. */
  issued: string[]
}

describe('demo shop in Chromium (strict CSP, built bundle, demo collector)', () => {
  let server: DemoServer
  let browser: Browser
  let opened: WatchedPage[] = []

  /** Polls until `probe` returns a truthy value; the deadline failure says what was collected. */
  async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = probe()
      if (value) return value
      if (Date.now() > deadline) {
        const seen = server.collected.map(describeRequest).join('\n  ') || '(nothing)'
        const problems = opened.flatMap((o) => o.problems).join('\n  ') || '(none)'
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what}.\nThe collector received:\n  ${seen}\nPage problems:\n  ${problems}`,
        )
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  function waitForEvent(event: string, count = 1): Promise<Json[]> {
    return waitFor(`${count}× "${event}" at the collector`, () => {
      const found = collectorEvents(server, event)
      return found.length >= count ? found : null
    })
  }

  async function openShop(): Promise<WatchedPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })
    const page = await context.newPage()
    const problems: string[] = []
    const issued: string[] = []
    const watched = { context, page, problems, issued }
    page.on('request', (req) => {
      if (req.method() == 'POST' && new URL(req.url()).pathname == '/collect') issued.push(String((req.postDataJSON() as Json | null)?.event))
    })
    opened.push(watched)
    page.on('console', (msg) => {
      const text = msg.text()
      if (msg.type() === 'error' || /content security policy/i.test(text)) problems.push(`console.${msg.type()}: ${text}`)
    })
    page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`))
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`))
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`)
    })
    await page.addInitScript(() => {
      window.__e2eCspViolations = []
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__e2eCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`)
      })
    })
    const response = await page.goto(server.url + '/')
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+' 'self'/)
    return watched
  }

  /**
   * The first visit: the consent modal is up (both tools have a purpose) and nothing has reached
   * the collector; `button` decides.
   */
  async function decideConsent(page: Page, button: 'Accept All' | 'Reject All'): Promise<void> {
    const dialog = page.getByRole('dialog', { name: 'Cookie Settings' })
    await expect.poll(() => dialog.isVisible(), { timeout: WAIT_MS }).toBe(true)
    const tree = await dialog.ariaSnapshot()
    for (const line of ['checkbox "Analytics"', 'checkbox "Marketing"', `button "${button}"`]) expect(tree).toContain(line)
    expect(server.collected.map(describeRequest), 'nothing is sent before the visitor decides').toEqual([])
    await page.getByRole('button', { name: button }).click()
    await expect.poll(() => page.locator('[data-tagrelay-consent]').count(), { timeout: WAIT_MS }).toBe(0)
  }

  async function expectNoPageProblems(w: WatchedPage): Promise<void> {
    const violations = await w.page.evaluate(() => window.__e2eCspViolations)
    expect(violations, 'CSP violations reported by the page').toEqual([])
    expect(w.problems, 'console errors, uncaught errors or failed requests').toEqual([])
  }

  /** The page's own record of its zaraz calls (examples/shop: window.tagrelayDemo.calls). */
  function pageCalls(page: Page): Promise<DemoCall[]> {
    return page.evaluate(() => JSON.parse(JSON.stringify(window.tagrelayDemo.calls)) as DemoCall[])
  }

  beforeAll(async () => {
    assertBuilt()
    server = await startDemoServer({ port: 0, quiet: true, delayBundleMs: 300 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  beforeEach(() => {
    server.clear()
    opened = []
  })

  afterEach(async () => {
    for (const w of opened) await w.context.close()
  })

  it('a shopper’s journey reaches the collector once per event, with event, e-commerce and system properties', async () => {
    const shop = await openShop()
    const { page } = shop
    await expect.poll(() => page.title()).toBe(PAGE_TITLE)
    await decideConsent(page, 'Accept All')
    expect(JSON.parse(decodeURIComponent((await shop.context.cookies()).find((c) => c.name == 'zaraz-consent')?.value ?? 'null'))).toEqual({ analytics: true, marketing: true })

    // The automatic pageview (both tools) and the call queued by the stub before the bundle arrived.
    await waitForEvent('Pageview')
    await waitForEvent('stub_ready')
    await waitFor('the pixel GET /collect/pixel', () => pixelRequests(server).length > 0)

    await page.click('#view-sku-1')
    await waitForEvent('Product Viewed')
    await page.click('#add-sku-1')
    await page.click('#add-sku-2')
    await waitForEvent('Product Added', 2)
    await page.click('#checkout')
    await waitForEvent('Checkout Started')
    await page.click('#place-order')
    await waitForEvent('Order Completed')

    await page.fill('#signup-email', 'shopper@example.com')
    await page.selectOption('#signup-plan', 'team')
    await page.check('#signup-newsletter')
    await page.click('#signup-submit')
    await waitForEvent('signup')

    // A last event as a barrier: the transport has sent everything queued before it, so a
    // duplicate of an earlier event would be at the collector by the time this one is.
    const barrier = await page.evaluate(() =>
      (window as unknown as { zaraz: ZarazLike }).zaraz.track('e2e_barrier', { n: 1 }).then(() => 'resolved'),
    )
    expect(barrier).toBe('resolved')
    await waitForEvent('e2e_barrier')

    // --- no duplicates, nothing unexpected -----------------------------------------------------
    const keys = collectorRequests(server).map((r) => {
      const b = r.body as Json
      return isObject(b.ecommerce) && b.ecommerce.product_id && b.event !== 'Checkout Started' && b.event !== 'Order Completed'
        ? `${b.event} ${b.ecommerce.product_id}`
        : String(b.event)
    })
    expect(keys.slice().sort()).toEqual(
      [
        'Pageview',
        'stub_ready',
        'Product Viewed sku-1',
        'Product Added sku-1',
        'Product Added sku-2',
        'Checkout Started',
        'Order Completed',
        'signup',
        'e2e_barrier',
      ].sort(),
    )
    const pixels = pixelRequests(server)
    expect(pixels, 'the pixel tool only has the pageview automated action').toHaveLength(1)
    expect(server.collected.map((r) => r.path).filter((p) => p !== '/collect' && p !== '/collect/pixel')).toEqual([])

    // The stub's queue is replayed before the automatic pageview (docs/demo.md's terminal output).
    expect(shop.issued.slice(0, 2)).toEqual(['stub_ready', 'Pageview'])

    // --- Pageview -------------------------------------------------------------------------------
    const [pageview] = collectorEvents(server, 'Pageview')
    const browserFacts = await page.evaluate(() => ({ ua: navigator.userAgent, href: location.href }))
    expect(pageview.tool).toBe('collector')
    // The stub's queue is replayed before the first pageview: the page-scope value set in <head> is in it.
    expect(pageview.ab_variant).toBe('B')
    expect(pageview.system.page.url.pathname).toBe('/')
    expect(pageview.system.page.url.href).toBe(browserFacts.href)
    expect(pageview.system.page.url.hostname).toBe('127.0.0.1')
    expect(pageview.system.page.title).toBe(PAGE_TITLE)
    expect(typeof pageview.system.device.language).toBe('string')
    expect(pageview.system.device.language).not.toBe('')
    expect(pageview.system.device.resolution).toMatch(/^\d+x\d+$/)
    expect(pageview.system.device.viewport).toMatch(/^\d+x\d+$/)
    expect(pageview.system.device['user-agent'].ua).toBe(browserFacts.ua)
    expect(typeof pageview.system.device['user-agent'].browser.name).toBe('string')
    expect(pageview.system.device['user-agent'].browser.name).not.toBe('')
    expect(typeof pageview.system.misc.timestamp).toBe('number')

    // --- the pixel (custom-image) -----------------------------------------------------------------
    expect(pixels[0].method).toBe('GET')
    expect(pixels[0].query).toMatchObject({ tool: 'pixel', e: 'Pageview', path: '/' })

    // --- events through the stub and after load ---------------------------------------------------
    const [stubReady] = collectorEvents(server, 'stub_ready')
    expect(stubReady).toMatchObject({ tool: 'collector', event: 'stub_ready', source: 'snippet', ab_variant: 'B' })

    const [signup] = collectorEvents(server, 'signup')
    expect(signup).toMatchObject({ tool: 'collector', event: 'signup', plan: 'team', newsletter: true, ab_variant: 'B' })
    expect(JSON.stringify(signup), 'the email field is never passed to zaraz').not.toContain('shopper@example.com')

    // --- e-commerce: `ecommerce` holds exactly the parameters passed --------------------------------
    const ecommerceOf = (event: string, productId?: string): unknown => {
      const found = collectorEvents(server, event).filter((b) => !productId || b.ecommerce?.product_id === productId)
      expect(found, `${event} ${productId ?? ''}`).toHaveLength(1)
      return found[0].ecommerce
    }
    expect(ecommerceOf('Product Viewed')).toEqual(EXPECTED_ECOMMERCE.productViewed)
    expect(ecommerceOf('Product Added', 'sku-1')).toEqual(EXPECTED_ECOMMERCE.teeAdded)
    expect(ecommerceOf('Product Added', 'sku-2')).toEqual(EXPECTED_ECOMMERCE.mugAdded)
    expect(ecommerceOf('Checkout Started')).toEqual(EXPECTED_ECOMMERCE.checkoutStarted)
    expect(ecommerceOf('Order Completed')).toEqual(EXPECTED_ECOMMERCE.orderCompleted)

    // --- every collector request: system properties, and no reserved `__` fields ------------------
    for (const r of collectorRequests(server)) {
      const body = r.body as Json
      expect(r.method, describeRequest(r)).toBe('POST')
      expect(Object.keys(body).filter((k) => k.startsWith('__')), describeRequest(r)).toEqual([])
      expect(body.system?.page?.url?.pathname, describeRequest(r)).toBe('/')
    }

    // --- the page: every call resolved, no caller object mutated -----------------------------------
    await expect
      .poll(async () => (await pageCalls(page)).filter((c) => c.state !== 'resolved').map((c) => `${c.label} ${c.state} ${c.error ?? ''}`))
      .toEqual([])
    const calls = await pageCalls(page)
    const ecommerceCalls = calls.filter((c) => c.label === 'zaraz.ecommerce')
    expect(ecommerceCalls.map((c) => c.args[0])).toEqual([
      'Product Viewed',
      'Product Added',
      'Product Added',
      'Checkout Started',
      'Order Completed',
    ])
    for (const c of ecommerceCalls) {
      expect(c.passed, `zaraz.ecommerce('${String(c.args[0])}') must not mutate the caller's params`).toEqual(c.args)
    }
    await expect.poll(() => page.locator('#call-log li').count()).toBe(calls.length)

    await expectNoPageProblems(shop)
  })

  it('calls made through the loader stub before the bundle arrived are replayed, and their promises resolve', async () => {
    const shop = await openShop()
    const { page } = shop
    await decideConsent(page, 'Accept All')

    await waitForEvent('stub_ready')
    await waitForEvent('Pageview')

    // The stub's promise settles once the real bundle has replayed the call.
    await page.waitForFunction(
      () => window.tagrelayDemo.calls.some((c) => c.label === 'zaraz.track' && c.args[0] === 'stub_ready' && c.state !== 'pending'),
      undefined,
      { timeout: WAIT_MS },
    )
    const calls = await pageCalls(page)
    const stubTrack = calls.find((c) => c.label === 'zaraz.track' && c.args[0] === 'stub_ready')
    expect(stubTrack, 'the page recorded its stub call').toBeDefined()
    expect(stubTrack!.error).toBeUndefined()
    expect(stubTrack!.state).toBe('resolved')
    // Zaraz: track() resolves to { return: { [toolId]: value } }.
    expect(stubTrack!.value).toEqual({ return: expect.any(Object) })

    // It really was made before the bundle had been received (the server holds it back 300 ms).
    const bundleTiming = await page.evaluate(() => {
      const entry = performance
        .getEntriesByType('resource')
        .find((e) => new URL(e.name).pathname === '/dist/tagrelay.min.js') as PerformanceResourceTiming | undefined
      return entry ? { responseEnd: entry.responseEnd } : null
    })
    expect(bundleTiming, 'resource timing for /dist/tagrelay.min.js').not.toBeNull()
    expect(stubTrack!.calledAt).toBeLessThan(bundleTiming!.responseEnd)

    // Once loaded, the real zaraz.track resolves the same way and the event is delivered once.
    const direct = await page.evaluate(() =>
      (window as unknown as { zaraz: ZarazLike }).zaraz.track('after_load', { answer: 42 }),
    )
    expect(direct).toEqual({ return: expect.any(Object) })
    const [afterLoad] = await waitForEvent('after_load')
    expect(afterLoad).toMatchObject({ tool: 'collector', event: 'after_load', answer: 42, ab_variant: 'B' })

    // The replayed call was delivered once, and the automatic pageview too.
    expect(collectorEvents(server, 'stub_ready')).toHaveLength(1)
    expect(collectorEvents(server, 'Pageview')).toHaveLength(1)

    await expectNoPageProblems(shop)
  })

  it('Reject All on the first visit: neither tool sends anything, and the choice holds on the next page view', async () => {
    const shop = await openShop()
    const { page } = shop
    const toCollector: string[] = []
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/collect')) toCollector.push(`${req.method()} ${req.url()}`)
    })
    await decideConsent(page, 'Reject All')
    await page.click('#view-sku-1')
    const after = await page.evaluate(() => (window as unknown as { zaraz: ZarazLike }).zaraz.track('after_reject').then(() => 'resolved'))
    expect(after).toBe('resolved')
    await page.reload()
    await page.waitForFunction(() => document.documentElement.getAttribute('data-shop-ready') == 'true')
    await page.evaluate(() => (window as unknown as { zaraz: ZarazLike }).zaraz.track('second_visit'))
    expect(await page.locator('[data-tagrelay-consent]').count()).toBe(0)
    expect(toCollector).toEqual([])
    expect(server.collected).toEqual([])
    await expectNoPageProblems(shop)
  })

  it('the "debug" link turns debug mode on with the config’s debugKey (the panel shows), and off again', async () => {
    const shop = await openShop()
    const { page } = shop
    await decideConsent(page, 'Accept All')
    const link = page.getByRole('link', { name: 'debug', exact: true })
    expect(await link.isVisible()).toBe(true)
    await Promise.all([page.waitForEvent('load'), link.click()])
    expect((await shop.context.cookies()).find((c) => c.name == 'zarazDebug')?.value).toBe('demo')
    await page.waitForFunction(() => !!document.getElementById('tagrelay-debugger')?.shadowRoot?.querySelector('[role=region]'), undefined, { timeout: WAIT_MS })
    // The panel explains the page view it saw.
    await expect
      .poll(() => page.evaluate(() => document.getElementById('tagrelay-debugger')!.shadowRoot!.textContent!.includes('Pageview')), { timeout: WAIT_MS })
      .toBe(true)
    const stop = page.getByRole('link', { name: 'stop debugging' })
    await Promise.all([page.waitForEvent('load'), stop.click()])
    expect((await shop.context.cookies()).find((c) => c.name == 'zarazDebug')).toBeUndefined()
    await page.waitForFunction(() => document.documentElement.getAttribute('data-shop-ready') == 'true')
    expect(await page.locator('#tagrelay-debugger').count()).toBe(0)
    expect(await page.getByRole('link', { name: 'debug', exact: true }).isVisible()).toBe(true)
    await expectNoPageProblems(shop)
  })
})
