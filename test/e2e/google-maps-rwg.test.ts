// End-to-end: Google Maps Reserve with Google (`google-maps-RWG`) in real Chromium, under a strict
// nonce CSP (no 'unsafe-inline'), with the script-tag build from `npm run build`. The tool sends
// nothing, so the catalogue page (which checks requests) cannot show it works: here the landing
// URL's rwg_token must end up in the page's first-party `_rwg_token` cookie.
import type { Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium, missingFromDist } from './browser'
import { startPageServer } from './page-server'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/catalogue/google-maps-RWG.json', import.meta.url))
/** A token as Google documents them: `=` and `-` included. */
const TOKEN = 'AJKvS9WeONmWKEwjG0--HdpzMq0yAVNL8KMxbb44QtbcxMhSx_NUud5b8PLUBFehAIxOBO-iYRIJOknEFkIJmdsofdVJ6uOweQ=='

function page(config: unknown, nonce: string): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RWG</title>
<script nonce="${nonce}">window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))</script>
<script type="application/json" id="zaraz-config">${json}</script>
<script async src="/dist/tagrelay.min.js" nonce="${nonce}"></script>
</head><body><h1>Book</h1></body></html>`
}

describe('google-maps-RWG in Chromium', () => {
  let browser: Browser
  let context: BrowserContext
  let tab: Page
  let server: Server
  let origin: string
  const outside: string[] = []
  const errors: string[] = []

  beforeAll(async () => {
    if (missingFromDist(DIST, ['tools/google-maps-RWG.min.js']).length) throw new Error('Missing build output. Run `npm run build` first.')
    // The tool entry as the catalogue fixture has it (as Zaraz exports it).
    const { entry } = JSON.parse(await readFile(FIXTURE, 'utf8'))
    const config = { tools: { rwg: entry } }
    ;({ server, origin } = await startPageServer((path, nonce) =>
      path == '/book' || path == '/next' ? { html: page(config, nonce), csp: `default-src 'self'; script-src 'nonce-${nonce}'` } : undefined,
    ))
    browser = await launchChromium()
    context = await browser.newContext()
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).origin == origin) return route.continue()
      outside.push(route.request().url())
      return route.abort()
    })
    tab = await context.newPage()
    tab.on('pageerror', (e) => errors.push(String(e)))
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => (server ? server.close(r) : r(undefined)))
  })

  const rwgCookie = async () => (await context.cookies(origin)).find((c) => c.name == '_rwg_token')

  test('a landing URL with rwg_token leaves _rwg_token (URL-encoded, Path=/, host-only) and sends nothing', async () => {
    await tab.goto(`${origin}/book?rwg_token=${encodeURIComponent(TOKEN)}`)
    await expect.poll(async () => (await rwgCookie())?.value).toBe(encodeURIComponent(TOKEN))
    const cookie = (await rwgCookie())!
    expect([cookie.path, cookie.domain]).toEqual(['/', '127.0.0.1'])
    // A cookie with Max-Age is persistent (a session cookie has expires -1).
    expect(cookie.expires).toBeGreaterThan(0)
    expect(outside).toEqual([])
    expect(errors).toEqual([])
    expect(await tab.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
  })

  test('a later page without a token keeps it', async () => {
    await tab.goto(`${origin}/next`)
    await tab.waitForFunction(() => (window as unknown as { zaraz?: unknown }).zaraz)
    await tab.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('Booked'))
    expect((await rwgCookie())?.value).toBe(encodeURIComponent(TOKEN))
  })
})
