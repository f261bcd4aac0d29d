// Consent in real Chromium: the modal (keyboard only, accessible names, a phone with nine purposes, a strict nonce CSP without
// 'unsafe-inline'), the cookie surviving a reload, and the bridge to a TCF v2 CMP on the page.
import { createServer, type Server } from 'node:http'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { launchChromium, scriptFiles } from './browser'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIXTURES = ROOT + 'test/e2e/fixtures/consent/'

let server: Server
let base = ''
let collected: Array<{ tool: string; event: string }> = []
let browser: Browser
let context: BrowserContext
let page: Page

/** Serves the fixtures under a nonce CSP (no 'unsafe-inline'), dist/, and a collector at /collect. */
function serve(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname == '/collect') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        try {
          collected.push(JSON.parse(body))
        } catch {
          // Not JSON: not ours.
        }
        res.writeHead(204).end()
      })
      return
    }
    try {
      if (url.pathname.startsWith('/dist/')) {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(ROOT + url.pathname.slice(1)))
        return
      }
      const nonce = randomBytes(16).toString('base64')
      const snippet = readFileSync(ROOT + 'dist/snippet.min.js', 'utf8')
      const html = readFileSync(FIXTURES + url.pathname.slice(1), 'utf8')
        .replace('<!-- tagrelay:snippet -->', `<script nonce="%NONCE%">${snippet}</script>`)
        .split('%NONCE%')
        .join(nonce)
      res
        .writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'`,
        })
        .end(html)
    } catch {
      res.writeHead(404).end()
    }
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      resolve()
    }),
  )
}

beforeAll(async () => {
  await serve()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await new Promise((r) => server?.close(r))
})
beforeEach(async () => {
  collected = []
  context = await browser.newContext()
  page = await context.newPage()
})
afterEach(async () => {
  await context?.close()
})

const sent = () => collected.map((c) => `${c.tool}:${c.event}`).sort()
const until = async (cond: () => boolean | Promise<boolean>) => {
  await expect.poll(cond, { timeout: 10_000 }).toBe(true)
}
const consentCookie = async () => (await context.cookies()).find((c) => c.name == 'zaraz-consent')
/** The element focused inside the modal's shadow root, as "tag:label". */
const focused = () =>
  page.evaluate(() => {
    const host = document.querySelector('[data-tagrelay-consent]')
    const el = host?.shadowRoot?.activeElement as HTMLElement | null | undefined
    if (!el) return document.activeElement === document.body ? 'body' : `outside:${document.activeElement?.tagName}`
    return `${el.tagName.toLowerCase()}:${el.getAttribute('aria-labelledby') ? host!.shadowRoot!.getElementById(el.getAttribute('aria-labelledby')!)!.textContent : el.textContent?.trim()}`
  })

test('the modal: shown on the first visit, named for screen readers, used with the keyboard only, styled under a strict CSP; the choice survives a reload', async () => {
  await page.goto(base + '/modal.html')
  const dialog = page.getByRole('dialog', { name: 'Cookie Settings' })
  await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true)
  // The accessibility tree names every control.
  const tree = await dialog.ariaSnapshot()
  for (const line of ['heading "Cookie Settings"', 'checkbox "Analytics"', 'checkbox "Advertising"', 'button "Accept All"', 'button "Reject All"', 'button "Confirm My Choices"'])
    expect(tree).toContain(line)
  expect(await page.evaluate(() => (window as unknown as { readyWhen: string }).readyWhen)).toBe('event:true')
  // Nothing for the tools yet: their purposes are undecided.
  expect(sent()).toEqual([])

  // Keyboard only: focus stays in the dialog however far we tab.
  const seen = new Set<string>()
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab')
    const f = await focused()
    expect(f.startsWith('outside') || f == 'body', `focus left the dialog: ${f}`).toBe(false)
    seen.add(f)
  }
  expect([...seen].sort()).toEqual(['button:Accept All', 'button:Confirm My Choices', 'button:Reject All', 'input:Analytics', 'input:Advertising'].sort())
  while ((await focused()) != 'input:Analytics') await page.keyboard.press('Tab')
  await page.keyboard.press('Space')
  while ((await focused()) != 'button:Confirm My Choices') await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')

  await until(async () => (await page.locator('[data-tagrelay-consent]').count()) == 0 && sent().length == 1)
  expect(sent()).toEqual(['stats:Pageview'])
  expect(JSON.parse((await consentCookie())!.value)).toEqual({ stats: true, ads: false })
  const c = (await consentCookie())!
  expect(c.sameSite).toBe('Lax')
  expect(c.path).toBe('/')
  expect(c.expires - Date.now() / 1000).toBeGreaterThan(364 * 86400)

  // Styles carried the nonce: the built-in and the custom CSS applied; nothing was blocked.
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])

  // Reload: the choice is remembered, no modal, the granted tool gets its pageview at once.
  collected = []
  await page.reload()
  await until(() => sent().length == 1)
  expect(sent()).toEqual(['stats:Pageview'])
  expect(await page.evaluate(() => (window as unknown as { zaraz: { consent: { getAll(): unknown; modal: boolean } } }).zaraz.consent.getAll())).toEqual({ stats: true, ads: false })
  expect(await page.locator('[data-tagrelay-consent]').count()).toBe(0)
})

test('the modal follows the page language, honours customCSS, and Escape closes it without a choice', async () => {
  await page.goto(base + '/modal.html')
  await page.evaluate(() => document.documentElement.setAttribute('lang', 'de-CH'))
  // Close the first one, then reopen it in German through the API.
  await expect.poll(() => page.getByRole('dialog').isVisible(), { timeout: 10_000 }).toBe(true)
  await page.keyboard.press('Escape')
  await until(async () => (await page.locator('[data-tagrelay-consent]').count()) == 0)
  expect(await consentCookie()).toBeUndefined()
  await page.evaluate(() => (window as unknown as { zaraz: { showConsentModal(): void } }).zaraz.showConsentModal())
  const dialog = page.getByRole('dialog', { name: 'Cookie-Einstellungen' })
  await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true)
  const tree = await dialog.ariaSnapshot()
  expect(tree).toContain('checkbox "Statistik"')
  expect(tree).toContain('button "Alle akzeptieren"')
  // The checkboxes through the API: unknown ids (and `__proto__`) are ignored, values taken as booleans.
  const boxes = await page.evaluate(() => {
    const c = (window as unknown as { zaraz: { consent: { setCheckboxes(c: unknown): void; getAllCheckboxes(): unknown } } }).zaraz.consent
    c.setCheckboxes(JSON.parse('{"ads":1,"nope":true,"__proto__":{"x":1}}'))
    c.setCheckboxes('stats')
    return [c.getAllCheckboxes(), 'checked' in {}]
  })
  expect(boxes).toEqual([{ stats: false, ads: true }, false])
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-tagrelay-consent]')!.shadowRoot!.querySelector('dialog')!).borderTopLeftRadius)).toBe('17px')
  await page.getByRole('button', { name: 'Alle akzeptieren' }).press('Enter')
  await until(() => sent().length == 2)
  expect(sent()).toEqual(['ads:Pageview', 'stats:Pageview'])
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
  // No TCF CMP, no Consent Mode key, no Google tool: the bridges' file is never fetched.
  expect(scriptFiles(await page.evaluate(() => Array.from(document.scripts, (s) => s.src)))).not.toContain('consent-cmp.min.js')
})

test('a TCF v2 CMP on the page decides instead of the modal, mapped onto our purposes', async () => {
  await page.goto(base + '/tcf.html')
  await until(() => sent().length == 1)
  expect(sent()).toEqual(['stats:Pageview'])
  expect(await page.evaluate(() => (window as unknown as { zaraz: { consent: { getAll(): unknown } } }).zaraz.consent.getAll())).toEqual({ stats: true, ads: false })
  expect(await page.locator('[data-tagrelay-consent]').count()).toBe(0)
  // The bridge is its own file, loaded under the nonce because the page has __tcfapi; the modal's is not.
  const scripts = scriptFiles(await page.evaluate(() => Array.from(document.scripts, (s) => s.src)))
  expect(scripts).toContain('consent-cmp.min.js')
  expect(scripts).not.toContain('consent-modal.min.js')
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
})

test('nine purposes on a 375×600 phone: the buttons stay in view, the purposes scroll between the title and them', async () => {
  await context.close()
  context = await browser.newContext({ viewport: { width: 375, height: 600 }, isMobile: true, hasTouch: true })
  page = await context.newPage()
  await page.goto(base + '/nine-purposes.html')
  const dialog = page.getByRole('dialog', { name: 'Cookie Settings' })
  await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true)
  /** Each button's box, whether it is inside the viewport, and whether it is what a tap at its centre hits. */
  const buttons = () =>
    page.evaluate(() => {
      const root = document.querySelector('[data-tagrelay-consent]')!.shadowRoot!
      return [...root.querySelectorAll('button')].map((b) => {
        const r = b.getBoundingClientRect()
        const inView = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0
        return { text: b.textContent, inView, onTop: root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === b }
      })
    })
  const all = [
    { text: 'Accept All', inView: true, onTop: true },
    { text: 'Reject All', inView: true, onTop: true },
    { text: 'Confirm My Choices', inView: true, onTop: true },
  ]
  expect(await buttons()).toEqual(all)
  // The purposes do not fit: their part scrolls, the dialog itself does not.
  const sizes = await page.evaluate(() => {
    const root = document.querySelector('[data-tagrelay-consent]')!.shadowRoot!
    const body = root.querySelector('.cf_consent-body')!
    const dialog = root.querySelector('dialog')!
    return { scrolls: body.scrollHeight > body.clientHeight, dialogOverflows: dialog.scrollHeight > dialog.clientHeight }
  })
  expect(sizes).toEqual({ scrolls: true, dialogOverflows: false })
  // Tabbing to the last purpose scrolls it into view; the buttons are still there.
  for (let i = 0; i < 9; i++) await page.keyboard.press('Tab')
  expect(await focused()).toBe('input:Heatmaps')
  expect(await buttons()).toEqual(all)
  const lastInView = await page.evaluate(() => {
    const box = document.querySelector('[data-tagrelay-consent]')!.shadowRoot!.querySelector('[data-purpose-id="heat"]')!.getBoundingClientRect()
    return box.top >= 0 && box.bottom <= innerHeight
  })
  expect(lastInView).toBe(true)
  await page.getByRole('button', { name: 'Reject All' }).tap()
  await until(async () => (await page.locator('[data-tagrelay-consent]').count()) == 0)
  expect(JSON.parse((await consentCookie())!.value)).toMatchObject({ stats: false, heat: false })
})
