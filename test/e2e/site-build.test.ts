// End-to-end: `tagrelay build` of the example Zaraz export and of a typical config (GA4 + Custom
// HTML + consent), each served by a local server and loaded through its own snippet.html under a
// strict nonce CSP, in real Chromium. Vendor requests are answered locally (context.route).
import { createServer, type Server } from 'node:http'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium } from './browser'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CLI = ROOT + 'dist/cli/tagrelay.js'
const OUT = mkdtempSync(join(tmpdir(), 'tagrelay-site-'))
/** Each site build, served from `/<name>/` (its `--base`). */
const BUILDS = { typical: 'examples/config/typical.json', export: 'examples/config/zaraz-export.json' }

interface Manifest {
  core: { file: string; integrity: string }
  files: Array<{ file: string; name: string }>
}
const manifest = (name: string): Manifest => JSON.parse(readFileSync(join(OUT, name, 'manifest.json'), 'utf8'))

/** The typical build served from other folders than its `--base`: `moved` as it is, `tampered` with a changed core. */
const MOVED = ['moved', 'tampered']

/**
 * `/<build>.html`: a page with that build's snippet.html in <head> (the nonce put where it says);
 * `/<build>/<file>`: its files; `/moved/<file>`: the typical build's files; `/tampered/<file>`:
 * the same, the core changed by one byte after the build (its snippet keeps the build's integrity).
 */
function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const page = /^\/(\w+)\.html$/.exec(url.pathname)
    const file = /^\/(\w+)\/([\w.-]+)$/.exec(url.pathname)
    try {
      if (page) {
        const nonce = randomBytes(16).toString('base64')
        const build = MOVED.includes(page[1]) ? 'typical' : page[1]
        let snippet = readFileSync(join(OUT, build, 'snippet.html'), 'utf8').split('NONCE').join(nonce)
        if (MOVED.includes(page[1])) snippet = snippet.replace('/typical/', `/${page[1]}/`)
        const html = `<!doctype html><html><head><meta charset="utf-8"><title>site build</title>
<script nonce="${nonce}">
  window.failedScripts = []
  addEventListener('error', (e) => e.target instanceof HTMLScriptElement && failedScripts.push(e.target.src), true)
</script>
${snippet}</head><body><h1>A page</h1><form id="newsletter"><button>Sign up</button></form><a class="cta" href="/offer">Offer</a></body></html>`
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self' https:; img-src 'self' https:`,
        })
        return res.end(html)
      }
      if (file) {
        const build = MOVED.includes(file[1]) ? 'typical' : file[1]
        let body = readFileSync(join(OUT, build, file[2]))
        if (file[1] == 'tampered' && file[2] == manifest('typical').core.file) body = Buffer.concat([body, Buffer.from(' ')])
        res.writeHead(200, { 'Content-Type': file[2].endsWith('.js') ? 'text/javascript' : 'application/json' })
        return res.end(body)
      }
    } catch {
      // Not a file of these builds: 404.
    }
    res.writeHead(404).end()
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })))
}

let server: Server
let origin: string
let browser: Browser

beforeAll(async () => {
  for (const [name, config] of Object.entries(BUILDS)) execFileSync(process.execPath, [CLI, 'build', ROOT + config, '--out', join(OUT, name), '--base', `/${name}/`], { stdio: 'pipe' })
  ;({ server, origin } = await serve())
  browser = await launchChromium()
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await new Promise((r) => (server ? server.close(r) : r(undefined)))
  rmSync(OUT, { recursive: true, force: true })
})

interface Hit {
  url: URL
  body: string | null
}

/** A fresh context that answers vendors locally and records, in order, every request the page makes. */
async function open(path: string, cookies: Array<{ name: string; value: string }> = []) {
  const context: BrowserContext = await browser.newContext()
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ ...c, url: origin })))
  const requests: string[] = []
  const hits: Hit[] = []
  const escaped: string[] = []
  await context.route('**/*', (route) => {
    const req = route.request()
    const url = new URL(req.url())
    if (url.origin == origin) return route.continue()
    if (!/google-analytics|\.example$/.test(url.hostname)) {
      escaped.push(url.href)
      return route.abort()
    }
    hits.push({ url, body: req.postData() })
    return route.fulfill({ status: 204, headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-allow-headers': 'content-type' } })
  })
  const page: Page = await context.newPage()
  page.on('request', (r) => requests.push(r.url()))
  await page.goto(origin + path)
  /** Our own script files fetched before the first vendor request (hit). */
  const scriptsBeforeFirstHit = () => requests.slice(0, requests.findIndex((u) => !u.startsWith(origin))).filter((u) => u.endsWith('.js')).map((u) => new URL(u).pathname)
  return { context, page, hits, escaped, scriptsBeforeFirstHit, requests }
}

describe('a site build of a typical config (GA4 + Custom HTML + consent)', () => {
  const consented = [{ name: 'zaraz-consent', value: '{"analytics":true}' }]

  test('a returning visitor who consented: GA4 gets the pageview, Custom HTML ran, and only the core file was fetched before the first hit', async () => {
    const { context, page, hits, escaped, scriptsBeforeFirstHit, requests } = await open('/typical.html', consented)
    await expect.poll(() => hits.filter((h) => h.url.pathname == '/g/collect').map((h) => h.url.searchParams.get('en'))).toEqual(['page_view'])
    expect(hits[0].url.searchParams.get('tid')).toBe('G-TYPICAL1')
    expect(await page.evaluate(() => [document.getElementById('announcement')?.textContent, (window as unknown as { announcementShown?: boolean }).announcementShown])).toEqual(['Free shipping this week', true])
    expect(scriptsBeforeFirstHit()).toEqual([`/typical/${manifest('typical').core.file}`])
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('signup'))
    await expect.poll(() => hits.map((h) => h.url.searchParams.get('en'))).toEqual(['page_view', 'signup'])
    // A visitor who decided never loads the consent modal's file.
    expect(requests.filter((u) => u.includes('/consent-modal.'))).toEqual([])
    expect(escaped).toEqual([])
    await context.close()
  })

  test('a first visit: the consent modal comes from its lazily loaded, content-hashed file, next to the core (served from another folder than --base), under the nonce CSP; once granted, GA4 gets the held pageview', async () => {
    const { context, page, hits, requests } = await open('/moved.html')
    await expect.poll(() => page.locator('[data-tagrelay-consent]').count()).toBe(1)
    const modal = manifest('typical').files.find((f) => f.name == 'consent-modal')!
    expect(requests).toContain(`${origin}/moved/${modal.file}`)
    expect(hits).toEqual([])
    await page.evaluate(() => (window as unknown as { zaraz: { consent: { set(c: object): void; sendQueuedEvents(): void } } }).zaraz.consent.set({ analytics: true }))
    await expect.poll(() => hits.map((h) => h.url.searchParams.get('en'))).toEqual(['page_view'])
    await context.close()
  })

  test('SRI holds: a core file changed after the build is refused by the browser, and nothing runs', async () => {
    const { context, page, hits, requests } = await open('/tampered.html', consented)
    const core = `${origin}/tampered/${manifest('typical').core.file}`
    await expect.poll(() => page.evaluate(() => (window as unknown as { failedScripts: string[] }).failedScripts)).toEqual([core])
    expect(requests).toContain(core)
    // Still the loader stub (its queue): the refused file never ran.
    expect(await page.evaluate(() => Array.isArray((window as unknown as { zaraz: { q: unknown } }).zaraz.q))).toBe(true)
    expect(hits).toEqual([])
    await context.close()
  })
})

describe('a site build of the example Zaraz export', () => {
  test('events arrive (templates with expressions, escaped image URLs, a click trigger), only the core file fetched before the first hit', async () => {
    const { context, page, hits, escaped, scriptsBeforeFirstHit } = await open('/export.html')
    const collected = () => hits.filter((h) => h.url.hostname == 'collect.shop.example').map((h) => JSON.parse(h.body!))
    await expect.poll(() => collected().map((b) => b.path)).toEqual(['/export.html'])
    expect(scriptsBeforeFirstHit()).toEqual([`/export/${manifest('export').core.file}`])
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string, p: object): Promise<unknown> } }).zaraz.track('purchase', { value: 150, order_id: 'a&b' }))
    await expect.poll(() => collected().filter((b) => b.en == 'purchase_big').map((b) => [b.label, b.value])).toEqual([['ORDER-A&B', 180]])
    await expect.poll(() => hits.filter((h) => h.url.hostname == 'px.affiliate.example').map((h) => h.url.search)).toEqual(['?o=a%26b&v=150'])
    await page.click('a.cta', { noWaitAfter: true }).catch(() => undefined)
    await expect.poll(() => collected().filter((b) => b.en == 'cta_click').length).toBe(1)
    expect(escaped).toEqual([])
    await context.close()
  })
})
