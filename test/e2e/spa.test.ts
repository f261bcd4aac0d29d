// Single-page apps in real Chromium: the plain History API example (script tag, historyChange) and
// the React example built with Vite from the npm package (historyChange, and manual spaPageview()),
// navigated by clicking links, the back and forward buttons and hash links. Each one must send
// exactly one pageview per new URL, with that URL, its title and the previous URL as referrer.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { startDemoServer, type DemoServer } from './demo-server'

type Body = Record<string, unknown> & {
  event?: string
  system?: { page: { url: Record<string, string>; title: string; referrer: string } }
}

const root = join(__dirname, '../..')
const HISTORY_APP = join(root, 'examples/history-app')
const REACT_APP = join(root, 'examples/react-vite/dist')
const REACT_APP_MANUAL = join(root, 'examples/react-vite/dist/manual')

/** One pageview as the collector should see it: path relative to the server, title, referrer path ('' = none). */
interface Seen {
  path: string
  title: string
  referrer: string
}

/** Drives one app in its own server and browser page, and reads what its collector got. */
function spaHarness(appRoot: string) {
  let server: DemoServer
  let browser: Browser
  const problems: string[] = []

  const events = (name?: string): Body[] =>
    server.collected.filter((r) => r.path == '/collect').map((r) => r.body as Body).filter((b) => !name || b.event == name)
  const pageviews = () => events('Pageview')
  const describeEvents = () => events().map((b) => `${b.event} ${b.system?.page.url.href} (referrer ${JSON.stringify(b.system?.page.referrer)})`)

  async function until<T>(what: string, probe: () => T | undefined | false, ms = 15_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const v = probe()
      if (v) return v
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; collector has:\n${describeEvents().join('\n')}\nproblems: ${problems.join('; ')}`)
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  const h = {
    get url() {
      return server.url
    },
    events,
    pageviews,
    until,
    problems,
    async start() {
      if (!existsSync(join(appRoot, 'index.html'))) throw new Error(`${appRoot}/index.html is missing: run npm run build && npm run build:examples`)
      server = await startDemoServer({ port: 0, quiet: true, root: appRoot, spaFallback: true })
      browser = await launchChromium()
    },
    async stop() {
      await browser?.close()
      await server?.close()
    },
    /** A fresh page at `path`, once its first pageview arrived. */
    async open(path: string, referer?: string): Promise<Page> {
      server.clear()
      problems.length = 0
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() == 'error') problems.push(`console.error: ${m.text()}`)
      })
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`)
      })
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
      )
      await page.goto(server.url + path, referer ? { referer } : undefined)
      await until('the first pageview', () => pageviews().length >= 1)
      return page
    },
    /** Does `act`, then waits until the collector has `count` pageviews. */
    async navigate(act: () => Promise<unknown>, count: number): Promise<Body> {
      await act()
      const all = await until(`pageview #${count}`, () => pageviews().length >= count && pageviews())
      return all[count - 1]
    },
    /**
     * Sends a last event from the page and waits for it: everything the navigations before it
     * caused has been handled by then (the bus keeps order), so the counts that follow are final.
     */
    async barrier(page: Page) {
      await page.evaluate(() => (window as unknown as { zaraz: { track(name: string): Promise<unknown> } }).zaraz.track('e2e_barrier'))
      await until('the barrier event', () => events('e2e_barrier').length == 1)
    },
    /** The pageviews, exactly, in order: URL, pathname, title and referrer of each. */
    expectPageviews(seen: Seen[]) {
      const abs = (p: string) => (p ? server.url + p : '')
      const got = pageviews().map((b) => ({
        href: b.system?.page.url.href,
        pathname: b.system?.page.url.pathname,
        title: b.system?.page.title,
        referrer: b.system?.page.referrer,
      }))
      const want = seen.map((s) => ({ href: abs(s.path), pathname: new URL(abs(s.path)).pathname, title: s.title, referrer: s.referrer.startsWith('http') ? s.referrer : abs(s.referrer) }))
      expect(got).toEqual(want)
    },
  }
  return h
}

describe('a plain History API app with historyChange: true (script tag)', () => {
  const app = spaHarness(HISTORY_APP)
  beforeAll(() => app.start())
  afterAll(() => app.stop())
  const title = (t: string) => `${t} · tagrelay history-API example`

  it('links, replaceState, a hash link, back and forward: one pageview per new URL, with its URL, title and the previous URL as referrer', async () => {
    const page = await app.open('/')
    let n = 1
    await app.navigate(() => page.click('nav a[href="/pricing"]'), ++n)
    await app.navigate(() => page.click('#sort-price'), ++n) // replaceState to a new URL
    await page.click('#refresh') // replaceState to the same URL: no pageview
    await app.navigate(() => page.click('nav a[href="/docs"]'), ++n)
    await app.navigate(() => page.click('#faq-link'), ++n) // a hash link: popstate and hashchange, one pageview
    await app.navigate(() => page.goBack(), ++n)
    await app.navigate(() => page.goBack(), ++n)
    await app.navigate(() => page.goForward(), ++n)
    await app.navigate(() => page.click('nav a[href="/"]'), ++n)
    await app.barrier(page)
    app.expectPageviews([
      { path: '/', title: title('Home'), referrer: '' },
      { path: '/pricing', title: title('Pricing'), referrer: '/' },
      { path: '/pricing?sort=price', title: title('Pricing'), referrer: '/pricing' },
      { path: '/docs', title: title('Docs'), referrer: '/pricing?sort=price' },
      { path: '/docs#faq', title: title('Docs'), referrer: '/docs' },
      { path: '/docs', title: title('Docs'), referrer: '/docs#faq' },
      { path: '/pricing?sort=price', title: title('Pricing'), referrer: '/docs' },
      { path: '/docs', title: title('Docs'), referrer: '/pricing?sort=price' },
      { path: '/', title: title('Home'), referrer: '/docs' },
    ])
    expect(app.problems).toEqual([])
    await page.close()
  })

  it('page-scope values belong to the page they were set on; an event carries the page it was tracked on', async () => {
    const page = await app.open('/pricing')
    await page.click('#remember-plan')
    await page.click('#track-cta')
    const [before] = await app.until('cta_clicked on /pricing', () => app.events('cta_clicked').length == 1 && app.events('cta_clicked'))
    expect(before).toMatchObject({ cta: 'sales', plan: 'team' })
    expect(before.system?.page.url).toMatchObject({ href: app.url + '/pricing', pathname: '/pricing' })

    const pageview = await app.navigate(() => page.click('#sort-price'), 2)
    expect(pageview).not.toHaveProperty('plan')
    await page.click('#track-cta')
    const after = await app.until('cta_clicked after navigating', () => app.events('cta_clicked')[1])
    expect(after).toMatchObject({ cta: 'sales' })
    expect(after).not.toHaveProperty('plan')
    expect(after.system?.page.url).toMatchObject({ href: app.url + '/pricing?sort=price', search: '?sort=price' })
    expect(after.system?.page.referrer).toBe(app.url + '/pricing')
    expect(app.problems).toEqual([])
    await page.close()
  })

  it("a deep link's first pageview has the document's referrer; the next one has the deep link", async () => {
    const page = await app.open('/docs', 'https://search.example/results?q=relay')
    await app.navigate(() => page.click('nav a[href="/pricing"]'), 2)
    await app.barrier(page)
    app.expectPageviews([
      { path: '/docs', title: title('Docs'), referrer: 'https://search.example/results?q=relay' },
      { path: '/pricing', title: title('Pricing'), referrer: '/docs' },
    ])
    await page.close()
  })
})

describe('the React example (Vite, from the npm package) with historyChange: true', () => {
  const app = spaHarness(REACT_APP)
  beforeAll(() => app.start())
  afterAll(() => app.stop())
  const title = (t: string) => `${t} · tagrelay React example`

  it('router links, a hash link, back and forward: one pageview per new URL, with its URL, title and the previous URL as referrer', async () => {
    const page = await app.open('/')
    let n = 1
    await app.navigate(() => page.click('nav >> text=Products'), ++n)
    await app.navigate(() => page.click('nav >> text=About'), ++n)
    await app.navigate(() => page.click('#team-link'), ++n)
    await app.navigate(() => page.goBack(), ++n)
    await app.navigate(() => page.goBack(), ++n)
    await app.navigate(() => page.goForward(), ++n)
    await app.navigate(() => page.click('nav >> text=Home'), ++n)
    await app.barrier(page)
    app.expectPageviews([
      // Sent by createZaraz() when the app's code loads, before React rendered: index.html's title.
      { path: '/', title: 'tagrelay React example', referrer: '' },
      { path: '/products', title: title('Products'), referrer: '/' },
      { path: '/about', title: title('About'), referrer: '/products' },
      { path: '/about#team', title: title('About'), referrer: '/about' },
      { path: '/about', title: title('About'), referrer: '/about#team' },
      { path: '/products', title: title('Products'), referrer: '/about' },
      { path: '/about', title: title('About'), referrer: '/products' },
      { path: '/', title: title('Home'), referrer: '/about' },
    ])
    expect(app.problems).toEqual([])
    await page.close()
  })

  it('track and ecommerce from components arrive with their properties and the page they were called on; page-scope values end with the page', async () => {
    const page = await app.open('/products')
    await page.click('#remember-campaign')
    await page.click('#newsletter')
    await page.click('#add-to-cart')
    await page.waitForSelector('#added')
    const [clicked] = await app.until('newsletter_clicked', () => app.events('newsletter_clicked').length == 1 && app.events('newsletter_clicked'))
    expect(clicked).toMatchObject({ tool: 'collector', placement: 'footer', campaign: 'spring-sale' })
    expect(clicked.system?.page).toMatchObject({ title: title('Products'), referrer: '' })
    expect(clicked.system?.page.url).toMatchObject({ href: app.url + '/products', pathname: '/products' })
    const [added] = await app.until('Product Added', () => app.events('Product Added').length == 1 && app.events('Product Added'))
    expect(added.ecommerce).toEqual({ product_id: 'mug-1', name: 'Relay Mug', price: 12, currency: 'EUR', quantity: 1 })
    expect(added.system?.page.url.pathname).toBe('/products')

    const pageview = await app.navigate(() => page.click('nav >> text=About'), 2)
    expect(pageview).not.toHaveProperty('campaign')
    await page.click('#newsletter')
    const after = await app.until('newsletter_clicked on /about', () => app.events('newsletter_clicked')[1])
    expect(after).toMatchObject({ placement: 'footer' })
    expect(after).not.toHaveProperty('campaign')
    expect(after.system?.page).toMatchObject({ title: title('About'), referrer: app.url + '/products' })
    expect(after.system?.page.url).toMatchObject({ href: app.url + '/about', pathname: '/about' })
    expect(app.problems).toEqual([])
    await page.close()
  })
})

describe('the React example with historyChange: false and spaPageview() in a route effect', () => {
  const app = spaHarness(REACT_APP_MANUAL)
  beforeAll(() => app.start())
  afterAll(() => app.stop())
  const title = (t: string) => `${t} · tagrelay React example`

  it('one pageview per route change; a hash link is not a route change', async () => {
    const page = await app.open('/')
    let n = 1
    await app.navigate(() => page.click('nav >> text=Products'), ++n)
    await app.navigate(() => page.click('nav >> text=About'), ++n)
    await page.click('#team-link')
    await page.waitForURL('**/about#team')
    await page.goBack() // back to /about: the same route
    await page.waitForURL((u) => u.pathname == '/about' && !u.hash)
    await app.navigate(() => page.goBack(), ++n)
    await app.navigate(() => page.goForward(), ++n)
    await app.barrier(page)
    app.expectPageviews([
      { path: '/', title: 'tagrelay React example', referrer: '' },
      { path: '/products', title: title('Products'), referrer: '/' },
      { path: '/about', title: title('About'), referrer: '/products' },
      { path: '/products', title: title('Products'), referrer: '/about' },
      { path: '/about', title: title('About'), referrer: '/products' },
    ])
    expect(app.problems).toEqual([])
    await page.close()
  })
})

describe('the demo server for single-page apps', () => {
  it('spaFallback answers a deep link with index.html, and still 404s a missing file or a path outside the root', async () => {
    const server = await startDemoServer({ port: 0, quiet: true, root: HISTORY_APP, spaFallback: true })
    try {
      const deep = await fetch(server.url + '/pricing/team')
      expect(deep.status).toBe(200)
      expect(deep.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/)
      expect(await deep.text()).toContain('id="zaraz-config"')
      expect((await fetch(server.url + '/missing.js')).status).toBe(404)
      expect((await fetch(server.url + '/%2e%2e/%2e%2e/package.json')).status).toBe(404)
      expect((await fetch(server.url + '/app.js')).headers.get('content-type')).toMatch(/javascript/)
    } finally {
      await server.close()
    }
    const plain = await startDemoServer({ port: 0, quiet: true, root: HISTORY_APP })
    try {
      expect((await fetch(plain.url + '/pricing')).status).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
