// No page can break it, in real Chromium against the local collector: frozen intrinsics and SES
// lockdown(), a burst of thousands of track() calls in one task, a page's fetch wrapper that
// answers with something that is not a Response, a collector that hangs, and the bundle included
// twice. Counts arrivals, never times.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, test } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

type Body = Record<string, unknown>
type PageWindow = Window & {
  zaraz: { track(name: string, props?: object): Promise<unknown>; set(key: string, value: unknown, o?: object): void; consent: { getAll(): unknown } }
  dataLayer: unknown[]
  burst(from: number, to: number): Promise<number>
  loadAgain(): Promise<void>
  __ran?: number
  __scrolls: number
  __peak: number
}

const SES = readFileSync(fileURLToPath(new URL('../../node_modules/ses/dist/lockdown.umd.min.js', import.meta.url)), 'utf8')

/** What the page does before any of its own scripts (and so before the loader stub and the bundle). */
const HOSTILE: Record<string, string[]> = {
  'SES lockdown()': [SES, 'lockdown()'],
  'Object.prototype frozen': ['Object.freeze(Object.prototype)'],
  'Array.prototype frozen': ['Object.freeze(Array.prototype)'],
  'Function.prototype frozen': ['Object.freeze(Function.prototype)'],
  'Promise.prototype frozen': ['Object.freeze(Promise.prototype)'],
  'every built-in prototype frozen': [
    'for (const c of [Object, Array, Function, Promise, String, Number, Boolean, Symbol, Error, TypeError, RegExp, Date, Map, Set, WeakMap, WeakSet, URL, URLSearchParams, Response, Request, Headers, AbortController, AbortSignal]) Object.freeze(c.prototype)',
  ],
}

describe('no page can break it (Chromium)', () => {
  const fx = fixtureServerAndBrowser('hardened')
  let context: BrowserContext | undefined
  const problems: string[] = []
  const warnings: string[] = []

  afterEach(async () => {
    await context?.close()
    context = undefined
    fx.server.down = false
    fx.server.hang = false
    fx.server.clear()
    problems.length = 0
    warnings.length = 0
  })

  async function until<T>(what: string, probe: () => T | Promise<T>, ms = 120_000): Promise<NonNullable<T>> {
    const end = Date.now() + ms
    for (;;) {
      const v = await probe()
      if (v) return v as NonNullable<T>
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; problems: ${problems.join('; ')}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /** A fresh context whose pages first run `before` (each string a script), then the fixture page. */
  async function open(path: string, before: string[] = []): Promise<Page> {
    context = await fx.browser.newContext()
    for (const content of before) await context.addInitScript({ content })
    const page = await context.newPage()
    // An uncaught exception or unhandled rejection is a page error.
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() == 'warning' && m.text().includes('[tagrelay]')) warnings.push(m.text())
      if (m.type() == 'error') problems.push(`console: ${m.text()}`)
    })
    await page.goto(fx.server.url + path)
    return page
  }

  /** The collector's bodies, in order of arrival. */
  const bodies = (path = '/collect') => fx.server.collected.filter((r) => r.path == path).map((r) => r.body as Body)
  const named = (event: string) => bodies().filter((b) => b.event == event)
  /** The first body of `event` at the collector, once there is one. */
  const arrived = async (event: string) => {
    await until(`the event "${event}"`, () => named(event).length > 0)
    return named(event)[0]
  }

  test.each(Object.keys(HOSTILE))(
    '%s: the pageview, an event with constructor / toString / __proto__ keys, set values and a data-layer push all arrive; no page error',
    async (name) => {
      const page = await open('/', HOSTILE[name])
      await until('the pageview', () => named('Pageview').length)
      const tracked = await page.evaluate(async () => {
        const w = window as unknown as PageWindow
        w.zaraz.set('valueOf', 'from-set', { scope: 'persist' })
        w.zaraz.set('k', 'v')
        // `__proto__` as an own key, as JSON.parse makes it.
        const props = { n: 'keys', constructor: 'c', toString: 't', hasOwnProperty: 'h', ...JSON.parse('{"__proto__": "p", "isPrototypeOf": "i"}') }
        const result = await w.zaraz.track('e', props)
        w.dataLayer.push({ event: 'dl', n: 'dl', constructor: 'dc', push: 'p' })
        return result
      })
      expect(tracked).toEqual({ return: {} })
      expect(await arrived('e')).toMatchObject({ n: 'keys', constructor: 'c', toString: 't', hasOwnProperty: 'h', isPrototypeOf: 'i', valueOf: 'from-set', k: 'v' })
      expect(await arrived('dl')).toMatchObject({ n: 'dl', constructor: 'dc', push: 'p' })
      expect(await page.evaluate(() => (window as unknown as PageWindow).zaraz.consent.getAll())).toEqual({})
      // The persisted value is read back by the next page view.
      fx.server.clear()
      await page.reload()
      expect(await arrived('Pageview')).toMatchObject({ valueOf: 'from-set' })
      expect(problems).toEqual([])
    },
  )

  test('under SES lockdown(), the lazy chunks work too: consent modal, page rules, expressions, client events, Custom HTML and Custom Image', async () => {
    // A query parameter and an attribute named like a property of the frozen Object.prototype.
    const page = await open('/chunks.html?constructor=q', HOSTILE['SES lockdown()'])
    const dialog = page.getByRole('dialog', { name: 'Cookie Settings' })
    await until('the consent modal', () => dialog.isVisible())
    await page.getByRole('button', { name: 'Accept All' }).click()
    await until('the pageview for the tool with a purpose', () => named('Pageview').length)
    await page.click('.buy')
    expect(await arrived('buy')).toMatchObject({ label: 'BUY NOW', sku: 'sku-42', ctor: 'c', q: 'q' })
    await until('the Custom HTML', () => page.evaluate(() => (window as unknown as PageWindow).__ran == 1 && !!document.getElementById('chtml')))
    await until('the Custom Image', () => bodies('/collect/pixel').length || fx.server.collected.some((r) => r.path == '/collect/pixel'))
    await page.mouse.wheel(0, 800)
    await until('a scroll client event', () => page.evaluate(() => (window as unknown as PageWindow).__scrolls > 0))
    expect(problems).toEqual([])
  })

  test('3,000 track() calls in one task against a healthy collector: every event arrives, never more than 6 requests in flight', async () => {
    // A page's own fetch wrapper, installed before tagrelay, counts the requests in flight.
    const count = `(() => { const f = window.fetch; let open = 0; window.__peak = 0
      window.fetch = function (input, init) { window.__peak = Math.max(window.__peak, ++open); const p = f.call(this, input, init); p.then(() => open--, () => open--); return p } })()`
    const page = await open('/', [count])
    await until('the pageview', () => named('Pageview').length)
    await page.evaluate(() => {
      for (let n = 0; n < 3000; n++) (window as unknown as PageWindow).zaraz.track('e', { n: String(n) })
    })
    const distinct = () => new Set(named('e').map((b) => b.n)).size
    await until('every event at the collector', () => distinct() == 3000, 240_000)
    expect(await page.evaluate(() => (window as unknown as PageWindow).__peak)).toBeLessThanOrEqual(6)
    console.log('[burst figures]', JSON.stringify({ sent: 3000, received: distinct(), arrivals: named('e').length }))
    expect(problems).toEqual([])
  }, 300_000)

  test("a page's fetch wrapper that answers undefined or {} instead of a Response: the requests are retried and arrive, nothing is thrown", async () => {
    // The first two requests to the collector get something that is not a Response.
    const odd = `(() => { const f = window.fetch; const answers = [undefined, {}]
      window.fetch = function (input, init) { return String(input).includes('/collect') && answers.length ? Promise.resolve(answers.shift()) : f.call(this, input, init) } })()`
    const page = await open('/', [odd])
    await page.evaluate(() => (window as unknown as PageWindow).zaraz.track('e', { n: 'after' }))
    await until('the pageview and the event, retried', () => named('Pageview').length && named('e').length)
    expect(problems).toEqual([])
  })

  test('a collector that hangs: each attempt is given up after its timeout and retried, and every event arrives once it answers', async () => {
    fx.server.hang = true
    const page = await open('/')
    // More than the browser's 6 connections to the host: without a timeout they would wait for ever.
    await page.evaluate(() => (window as unknown as PageWindow).burst(0, 10))
    await new Promise((r) => setTimeout(r, 1000))
    expect(named('e')).toEqual([])
    fx.server.hang = false
    await until('every event', () => new Set(named('e').map((b) => b.n)).size == 10 && named('Pageview').length, 120_000)
    expect(problems).toEqual([])
  }, 180_000)

  test('the bundle included twice (two snippets, two script tags): one pageview, one navigation, one event per call and push, one warning', async () => {
    const page = await open('/twice.html')
    await until('the pageview', () => named('Pageview').length)
    await page.evaluate(async () => {
      const w = window as unknown as PageWindow
      await w.zaraz.track('e', { n: 'once' })
      w.dataLayer.push({ event: 'dl', n: 'dl' })
      history.pushState({}, '', '/next')
    })
    await until('the navigation', () => named('Pageview').length == 2)
    // A barrier sent after everything else: what a second copy sent would have arrived by then.
    await page.evaluate(() => (window as unknown as PageWindow).zaraz.track('barrier'))
    await until('the barrier', () => named('barrier').length)
    await new Promise((r) => setTimeout(r, 500))
    expect(bodies().map((b) => b.event).sort()).toEqual(['Pageview', 'Pageview', 'barrier', 'dl', 'e'])
    expect(warnings.filter((w) => w.includes('loaded twice'))).toHaveLength(1)
    expect(problems).toEqual([])
  })

  test('a second copy loaded late, while the first is running, does nothing but warn once', async () => {
    const page = await open('/')
    await until('the pageview', () => named('Pageview').length)
    await page.evaluate(() => (window as unknown as PageWindow).loadAgain())
    await page.evaluate(() => (window as unknown as PageWindow).zaraz.track('e', { n: 'once' }))
    await page.evaluate(() => (window as unknown as PageWindow).zaraz.track('barrier'))
    await until('the barrier', () => named('barrier').length)
    await new Promise((r) => setTimeout(r, 500))
    expect(bodies().map((b) => b.event).sort()).toEqual(['Pageview', 'barrier', 'e'])
    expect(warnings.filter((w) => w.includes('loaded twice'))).toHaveLength(1)
    expect(problems).toEqual([])
  })
})
