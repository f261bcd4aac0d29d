// Consent withdrawal in real Chromium, against the script-tag build and a real local collector:
// once the visitor refuses a purpose, nothing of its tool leaves the page any more: not the
// requests of client events (scroll, mousedown), not a retry already scheduled, not what the
// outbox kept for the next page view.
import { createServer, type Server, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { launchChromium, missingFromDist, scriptFiles } from './browser'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/**
 * A page whose tool `w` (purpose `stats`, registered through the loader stub) posts to /collect for
 * each event it gets, attaches scroll and mousedown on each event, and posts for each of those too.
 */
const html = (nonce: string) => `<!doctype html><html><head><meta charset="utf-8"><title>Consent withdrawal</title>
<link rel="icon" href="data:,">
<script nonce="${nonce}">
  window.__got = []
  window.zarazConfig = {
    consent: { enabled: true, hideModal: true, purposes: { stats: { name: 'Statistics', description: 'Counting visits' } } },
    tools: { w: { component: 'watch', defaultPurpose: 'stats', automatedActions: { pageview: false, track: true } } }
  }
</script>
<script nonce="${nonce}" src="/dist/snippet.min.js"></script>
<script nonce="${nonce}">
  zaraz.registerTool('watch', function (manager) {
    function send(client, kind) { client.fetch('/collect?kind=' + kind, { method: 'POST', body: kind }) }
    ;['scroll', 'mousedown'].forEach(function (t) {
      manager.createEventListener(t, function (e) { window.__got.push(t); send(e.client, t) })
    })
    manager.addEventListener('event', function (e) {
      e.client.attachEvent('scroll')
      e.client.attachEvent('mousedown')
      send(e.client, e.name)
    })
  })
  window.outbox = function () { return Object.keys(localStorage).filter(function (k) { return k.indexOf('tagrelay_ob:') == 0 }).length }
</script>
<script async nonce="${nonce}" src="/dist/tagrelay.min.js"></script>
<style nonce="${nonce}">body { height: 5000px }</style>
</head><body><h1>Consent withdrawal</h1></body></html>`

/** What the collector does with the next requests: answer, answer 503 (with Retry-After), or drop the connection. */
type Mode = 'ok' | '503' | 'down'

describe('consent withdrawal in Chromium (script tag)', () => {
  let browser: Browser
  let server: Server
  let origin: string
  let context: BrowserContext
  let page: Page
  let mode: Mode = 'ok'
  /** Every request that reached the collector, by kind, whatever it was answered. */
  const arrived: string[] = []

  const collect = (kind: string, res: ServerResponse) => {
    arrived.push(kind)
    if (mode == 'down') return res.socket?.destroy()
    if (mode == '503') return res.writeHead(503, { 'retry-after': '2' }).end()
    res.writeHead(204).end()
  }

  beforeAll(async () => {
    const missing = missingFromDist(DIST, ['tagrelay.min.js', 'snippet.min.js', 'client-events.min.js', 'outbox.min.js'])
    if (missing.length) throw new Error(`Missing build output: ${missing.join(', ')}. Run \`npm run build\` first.`)
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      try {
        if (url.pathname == '/collect') {
          req.resume()
          return req.on('end', () => collect(url.searchParams.get('kind') ?? '', res))
        }
        if (url.pathname == '/') {
          const nonce = randomBytes(12).toString('base64')
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'` })
          return res.end(html(nonce))
        }
        if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
          res.writeHead(200, { 'content-type': 'text/javascript' })
          return res.end(await readFile(DIST + url.pathname.slice('/dist/'.length)))
        }
      } catch {
        // 404 below.
      }
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })
  beforeEach(async () => {
    arrived.length = 0
    mode = 'ok'
    context = await browser.newContext({ viewport: { width: 800, height: 600 } })
    page = await context.newPage()
  })
  afterEach(async () => {
    await context?.close()
  })

  const run = <T>(fn: string) => page.evaluate(fn) as Promise<T>
  const outbox = () => run<number>('outbox()')
  /** Gives the page time to do what it should not (nothing positive to wait for). */
  const quiet = (ms: number) => page.waitForTimeout(ms)

  test('after withdrawal, scroll and mousedown reach neither the tool nor the collector', async () => {
    await page.goto(origin + '/')
    await run('zaraz.consent.set({ stats: true }), zaraz.track("start")')
    await expect.poll(() => arrived.includes('start')).toBe(true)
    // Granted: a scroll reaches the tool, which posts it (the client-events file is loaded by now or soon).
    await page.mouse.move(400, 300)
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, 200)
        return arrived.includes('scroll')
      })
      .toBe(true)
    await page.mouse.down()
    await page.mouse.up()
    await expect.poll(() => arrived.includes('mousedown')).toBe(true)
    await quiet(500)

    await run('zaraz.consent.set({ stats: false })')
    const before = [...arrived]
    const got = await run<string[]>('window.__got.slice()')
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, 300)
      await page.mouse.down()
      await page.mouse.up()
      await quiet(300)
    }
    await quiet(1000)
    expect(arrived).toEqual(before)
    expect(await run<string[]>('window.__got.slice()')).toEqual(got)
  })

  test('a retry scheduled when the purpose is refused is not sent, and the outbox is emptied', async () => {
    await page.goto(origin + '/')
    mode = '503'
    await run('zaraz.consent.set({ stats: true }), zaraz.track("retried")')
    // The first attempt arrives and is answered 503 with Retry-After: 2 s; the retry waits in the outbox.
    await expect.poll(() => arrived.filter((k) => k == 'retried').length).toBe(1)
    await expect.poll(outbox).toBe(1)
    mode = 'ok'
    await run('zaraz.consent.set({ stats: false })')
    await expect.poll(outbox).toBe(0)
    // Past the retry's time, and more.
    await quiet(4000)
    expect(arrived.filter((k) => k == 'retried')).toEqual(['retried'])
  })

  test('what the outbox kept is not sent by the next page view once the consent cookie says refused, and is removed', async () => {
    await page.goto(origin + '/')
    mode = 'down'
    await run('zaraz.consent.set({ stats: true }), zaraz.track("stored")')
    await expect.poll(outbox).toBe(1)
    // Leaving: the request stays in the outbox for the next page view.
    await page.goto('about:blank')
    // The visitor refused meanwhile (another tab, or a CMP writing the cookie).
    const cookie = (await context.cookies()).find((c) => c.name == 'zaraz-consent')!
    expect(JSON.parse(cookie.value)).toEqual({ stats: true })
    await context.addCookies([{ ...cookie, value: JSON.stringify({ stats: false }) }])
    mode = 'ok'
    arrived.length = 0
    await page.goto(origin + '/')
    // The page view restores the outbox once idle (its restore half is a file of its own): the stored request is dropped.
    await expect.poll(async () => scriptFiles(await run<string[]>('Array.from(document.scripts, function (s) { return s.src })'))).toContain('outbox.min.js')
    await expect.poll(outbox).toBe(0)
    await quiet(1000)
    expect(arrived).toEqual([])
  })
})
