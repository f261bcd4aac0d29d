// End-to-end: Managed Components client events in real Chromium with the script-tag build, under a
// strict nonce CSP. The core leaves them out: `dist/client-events.<build id>.min.js` loads (with the page's
// nonce) only once a tool has client-event listeners, and no page event a tool attached is lost.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium, missingFromDist, withoutBuildId } from './browser'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/** A page whose tool `watch` (registered through the loader stub) attaches `types` on its first pageview, when `attach` is set. */
const html = (nonce: string, attach: boolean) => `<!doctype html><html><head><meta charset="utf-8"><title>Client events</title>
<script nonce="${nonce}">
  window.__violations = []
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))
  window.__got = []
  window.zarazConfig = { historyChange: false, tools: { w: { component: 'watch', automatedActions: { pageview: true } } } }
</script>
<script nonce="${nonce}" src="/dist/snippet.min.js"></script>
<script nonce="${nonce}">
  zaraz.registerTool('watch', function (manager) {
    ${attach ? "['scroll', 'visibilityChange', 'historyChange', 'resize'].forEach(function (t) { manager.createEventListener(t, function (e) { window.__got.push([e.type, e.payload, e.client.url.pathname]) }) })" : ''}
    manager.addEventListener('pageview', function (e) {
      window.__pageviews = (window.__pageviews || 0) + 1
      ${attach ? "if (window.__pageviews == 1) ['scroll', 'historyChange', 'resize'].forEach(function (t) { e.client.attachEvent(t) })" : ''}
    })
  })
</script>
<script async nonce="${nonce}" src="/dist/tagrelay.min.js"></script>
<style nonce="${nonce}">body { height: 5000px }</style>
</head><body><h1>Client events</h1></body></html>`

describe('client events in Chromium (script tag)', () => {
  let browser: Browser
  let server: Server
  let origin: string
  const requested: string[] = []

  beforeAll(async () => {
    const missing = missingFromDist(DIST, ['tagrelay.min.js', 'snippet.min.js', 'client-events.min.js'])
    if (missing.length) throw new Error(`Missing build output: ${missing.join(', ')}. Run \`npm run build\` first.`)
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      requested.push(url.pathname)
      try {
        if (url.pathname == '/' || url.pathname == '/plain') {
          const nonce = randomBytes(12).toString('base64')
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'` })
          return res.end(html(nonce, url.pathname == '/'))
        }
        if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
          res.writeHead(200, { 'content-type': 'text/javascript' })
          return res.end(await readFile(DIST + url.pathname.slice('/dist/'.length)))
        }
      } catch {
        // 404 below.
      }
      res.writeHead(404)
      res.end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })

  const got = (page: Page) => page.evaluate(() => (window as unknown as { __got: Array<[string, Record<string, unknown[]>, string]> }).__got)

  test('a page whose tools use no client events never loads the chunk', async () => {
    requested.length = 0
    const page = await browser.newPage()
    await page.goto(origin + '/plain')
    await expect.poll(() => page.evaluate(() => (window as unknown as { __pageviews?: number }).__pageviews)).toBe(1)
    await page.evaluate(() => (window as unknown as { zaraz: { spaPageview(): Promise<unknown> } }).zaraz.spaPageview())
    await page.mouse.wheel(0, 400)
    await page.waitForTimeout(300)
    expect(requested.filter((p) => p.includes('client-events'))).toEqual([])
    await page.close()
  })

  test('scroll, resize and historyChange reach the tool that attached them; the chunk loads once, with the nonce', async () => {
    requested.length = 0
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } })
    await page.goto(origin + '/')
    await expect.poll(() => page.evaluate(() => (window as unknown as { __pageviews?: number }).__pageviews)).toBe(1)
    // Right away (the chunk may still be on its way): kept until it is here.
    await page.evaluate(() => window.scrollTo(0, 1234))
    await expect.poll(async () => (await got(page)).filter((g) => g[0] == 'scroll').length).toBeGreaterThan(0)
    const scrolls = (await got(page)).filter((g) => g[0] == 'scroll')
    await expect.poll(async () => (await got(page)).filter((g) => g[0] == 'scroll').at(-1)?.[1].scroll[0]).toMatchObject({ scrollY: 1234, target: 'body' })
    expect(scrolls[0][2]).toBe('/')
    await page.setViewportSize({ width: 700, height: 500 })
    await expect.poll(async () => (await got(page)).filter((g) => g[0] == 'resize').map((g) => g[1].dimensions[0])).toEqual([expect.objectContaining({ innerWidth: 700, innerHeight: 500 })])
    await page.evaluate(() => {
      history.pushState({}, '', '/next')
      document.title = 'Next'
      return (window as unknown as { zaraz: { spaPageview(): Promise<unknown> } }).zaraz.spaPageview()
    })
    await expect.poll(async () => (await got(page)).filter((g) => g[0] == 'historyChange').map((g) => [g[1].history[0], g[2]])).toEqual([
      [expect.objectContaining({ url: origin + '/next', title: 'Next' }), '/next'],
    ])
    // visibilityChange has a listener but was not attached: nothing.
    expect((await got(page)).filter((g) => g[0] == 'visibilityChange')).toEqual([])
    expect(requested.filter((p) => p.includes('client-events')).map(withoutBuildId)).toEqual(['/dist/client-events.min.js'])
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
    await page.close()
  })
})
