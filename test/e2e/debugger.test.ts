// The debugger panel and the data layer in real Chromium, under a strict nonce CSP: with the debug
// key in the zarazDebug cookie the panel explains a blocked, a consented-later and an unmatched
// tool; dataLayer pushes before and after load become tracks. Takes the screenshot in docs/.
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

type Body = Record<string, unknown>

describe('debugger panel and data layer in Chromium', () => {
  const fx = fixtureServerAndBrowser('debug')
  const problems: string[] = []
  /** What the page said in console.info (debug mode's notes). */
  const infos: string[] = []

  const bodies = (tool?: string): Body[] =>
    fx.server.collected.filter((r) => r.path == '/collect').map((r) => r.body as Body).filter((b) => !tool || b.tool == tool)

  async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const v = await probe()
      if (v) return v
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; collector: ${JSON.stringify(bodies())}; problems: ${problems.join('; ')}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function open(debugKey?: string): Promise<Page> {
    const context = await fx.browser.newContext({ viewport: { width: 1200, height: 860 } })
    if (debugKey) await context.addCookies([{ name: 'zarazDebug', value: debugKey, url: fx.server.url }])
    await context.addCookies([{ name: 'staff', value: '1', url: fx.server.url }])
    const page = await context.newPage()
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() == 'info') infos.push(m.text())
      if (m.type() == 'error' || /content security policy/i.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`)
    })
    await page.goto(fx.server.url + '/')
    return page
  }

  /** The panel's text for one tool row of the newest event of this name. */
  const row = (page: Page, event: string, tool: string) =>
    page.evaluate(
      ([event, tool]) => {
        const root = document.getElementById('tagrelay-debugger')?.shadowRoot
        const details = [...(root?.querySelectorAll('details[data-key]') ?? [])].find((d) => d.querySelector(':scope > summary .name')?.textContent == event)
        return [...(details?.querySelectorAll(`tr[data-tool="${tool}"]`) ?? [])].map((r) => r.textContent).join(' | ')
      },
      [event, tool],
    )


  it('dataLayer pushes made before and after load become tracks with the merged keys; gtm.* is ignored', async () => {
    fx.server.clear()
    const page = await open()
    const found = (event: string) => {
      const list = bodies('collector').filter((b) => b.event == event)
      return list.length ? list : false
    }
    const [viewItem] = await until('view_item', () => found('view_item'))
    expect(viewItem).toMatchObject({ event: 'view_item', page_type: 'product', sku: 'sku-1', 'gtm.start': 1 })
    await page.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: 'add_to_cart', qty: 2 }))
    const [add] = await until('add_to_cart', () => found('add_to_cart'))
    expect(found('view_item')).toHaveLength(1)
    expect(add).toMatchObject({ page_type: 'product', sku: 'sku-1', qty: 2 })
    expect(bodies('collector').some((b) => String(b.event).startsWith('gtm.'))).toBe(false)
    // Without the debug key there is no panel.
    expect(await page.evaluate(() => !!document.getElementById('tagrelay-debugger'))).toBe(false)
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('with the debug key the panel explains a blocked, a consented-later and an unmatched tool', async () => {
    fx.server.clear()
    const page = await open('dbg-key')
    await until('the panel', () => page.evaluate(() => !!document.getElementById('tagrelay-debugger')?.shadowRoot?.querySelector('[role=region]')))
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string, p: object): Promise<unknown> } }).zaraz.track('buy', { value: 42 }))
    await until('the buy record', async () => (await row(page, 'buy', 'collector')).includes('✓'))

    expect(await row(page, 'buy', 'staffOnly')).toContain('blocking trigger "internal" matched')
    expect(await row(page, 'buy', 'unmatched')).toContain('trigger "signup": {{ client.__zarazTrack }} EQUALS "signup" (the value was "buy") did not match')
    expect(await row(page, 'buy', 'ads')).toContain('waiting for consent for purpose "ads"')
    expect(bodies('ads')).toEqual([])
    // The gate's note, in words on the console as before (the core says it as an id).
    expect(infos).toContain('[tagrelay] tool "ads": waiting for consent for purpose "ads" (held until the visitor decides)')

    await page.evaluate(() => (window as unknown as { zaraz: { consent: { set(c: object): void } } }).zaraz.consent.set({ ads: true }))
    await until('the ads delivery', () => bodies('ads').length == 1)
    await until('the record to say so', async () => (await row(page, 'buy', 'ads')).includes('delivered once consent was granted'))
    // Requests and their outcome are listed under the event.
    const requests = await page.evaluate(() => document.getElementById('tagrelay-debugger')!.shadowRoot!.textContent!)
    expect(requests).toMatch(/sent collector: POST http:\/\/127\.0\.0\.1:\d+\/collect → 204/)
    expect(requests).toContain('settings.trackPath')

    await page.evaluate(() => {
      const root = document.getElementById('tagrelay-debugger')!.shadowRoot!
      const buy = [...root.querySelectorAll('details[data-key]')].find((d) => d.querySelector(':scope > summary .name')?.textContent == 'buy') as HTMLDetailsElement
      buy.open = true
    })
    // docs/debugger.png is refreshed on demand (UPDATE_SCREENSHOTS=1 npm run test:e2e), not by every run.
    const shot = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '../../docs/debugger.png') : join(tmpdir(), 'tagrelay-debugger.png')
    await page.screenshot({ path: shot })
    expect(problems).toEqual([])
    await page.context().close()
  })
})
