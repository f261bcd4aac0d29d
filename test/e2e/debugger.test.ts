// The debugger panel and the data layer in real Chromium, under a strict nonce CSP: with the debug
// key in the zarazDebug cookie the panel explains a blocked, a consented-later and an unmatched
// tool; dataLayer pushes before and after load become tracks. The panel in both themes on a desktop and a
// phone: axe-core's contrast rule, the docked sheet, the badge, resizing, the keyboard; takes the
// screenshots in docs/ (only with UPDATE_SCREENSHOTS=1).
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import axe from 'axe-core'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

type Body = Record<string, unknown>
type Device = { viewport: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean }
const DESKTOP: Device = { viewport: { width: 1200, height: 860 } }
const PHONE: Device = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true }

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

  async function open(debugKey?: string, device: Device = DESKTOP): Promise<Page> {
    const context = await fx.browser.newContext(device)
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
    expect(problems).toEqual([])
    await page.context().close()
  })

  /** Runs in the panel's shadow root. */
  const inPanel = <T>(page: Page, fn: (root: ShadowRoot) => T) =>
    page.evaluate(`(${fn.toString()})(document.getElementById('tagrelay-debugger').shadowRoot)`) as Promise<T>

  /** A page in debug mode whose panel shows a `buy` event, opened. */
  async function panelWithBuy(device: Device): Promise<Page> {
    const page = await open('dbg-key', device)
    await until('the panel', () => page.evaluate(() => !!document.getElementById('tagrelay-debugger')?.shadowRoot?.querySelector('[role=region]')))
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string, p: object): Promise<unknown> } }).zaraz.track('buy', { value: 42 }))
    await until('the buy record', async () => (await row(page, 'buy', 'collector')).includes('✓'))
    await inPanel(page, (root) => {
      const buy = [...root.querySelectorAll('details[data-key]')].find((d) => d.querySelector(':scope > summary .name')?.textContent == 'buy') as HTMLDetailsElement
      buy.open = true
    })
    return page
  }

  /** axe-core's colour-contrast rule on the panel (in its shadow root): the nodes that fail, and how many it checked. */
  async function contrastViolations(page: Page): Promise<{ failing: string[]; checked: number }> {
    // Through the DevTools protocol, as a test tool: not a page script, so the page's CSP does not apply.
    await page.evaluate(axe.source)
    return page.evaluate(async () => {
      const run = (window as unknown as { axe: typeof axe }).axe.run
      const result = await run(document.getElementById('tagrelay-debugger')!, { runOnly: { type: 'rule', values: ['color-contrast'] } })
      const failing = result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`))
      return { failing, checked: result.passes.reduce((sum, p) => sum + p.nodes.length, 0) }
    })
  }

  const box = (page: Page, selector: string) =>
    page.evaluate((s) => {
      const r = document.getElementById('tagrelay-debugger')!.shadowRoot!.querySelector(s)!.getBoundingClientRect()
      return { left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top), bottom: Math.round(r.bottom), width: Math.round(r.width), height: Math.round(r.height) }
    }, selector)

  for (const [layout, device] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`on a ${layout}, both themes pass axe-core's contrast rule with every kind of line showing; screenshots on demand`, async () => {
      fx.server.clear()
      const page = await panelWithBuy(device)
      // A config warning, a held, a blocked, a not-matched and a sent line are all on screen.
      const outcomes = await inPanel(page, (root) => [...new Set([...root.querySelectorAll('tr[data-outcome]')].map((r) => r.getAttribute('data-outcome')))].sort())
      expect(outcomes).toEqual(['blocked', 'held', 'not matched', 'sent'])
      const themes = ['light', 'dark'] as const
      for (const scheme of themes) {
        await page.emulateMedia({ colorScheme: scheme })
        const background = await inPanel(page, (root) => getComputedStyle(root.querySelector('.panel')!).backgroundColor)
        expect(background).toBe(scheme == 'light' ? 'rgb(255, 255, 255)' : 'rgb(21, 26, 38)')
        // The shots show the tool lines: the Tools heading at the top of the list.
        await inPanel(page, (root) => [...root.querySelectorAll('h3')].find((h) => h.textContent == 'Tools')!.scrollIntoView())
        // docs/debugger-<layout>-<scheme>.png are refreshed on demand (UPDATE_SCREENSHOTS=1), not by every run.
        const name = `debugger-${layout}-${scheme}.png`
        await page.screenshot({ path: process.env.UPDATE_SCREENSHOTS ? join(__dirname, '../../docs', name) : join(tmpdir(), `tagrelay-${name}`) })
      }
      // At its tallest, the panel shows every line at once for axe to check.
      await inPanel(page, (root) => (root.querySelector('.grip') as HTMLElement).focus())
      await page.keyboard.press('End')
      await inPanel(page, (root) => root.querySelector('.body')!.scrollTo(0, 0))
      for (const scheme of themes) {
        await page.emulateMedia({ colorScheme: scheme })
        const contrast = await contrastViolations(page)
        expect(contrast.failing, `${layout}, ${scheme}`).toEqual([])
        // It did look at the panel's text (header, filters, lines, payloads).
        expect(contrast.checked, `${layout}, ${scheme}`).toBeGreaterThan(20)
      }
      expect(problems).toEqual([])
      await page.context().close()
    })
  }

  it('a phone gets a sheet docked to the bottom edge; a desktop a panel at the bottom right that covers little', async () => {
    const phone = await panelWithBuy(PHONE)
    expect(await box(phone, '.panel')).toMatchObject({ left: 0, right: 375, bottom: 667, height: Math.round(667 / 2) })
    await phone.context().close()
    const desktop = await panelWithBuy(DESKTOP)
    const panel = await box(desktop, '.panel')
    expect(panel).toMatchObject({ right: 1200 - 12, bottom: 860 - 12, height: 320 })
    expect(panel.width).toBeLessThanOrEqual(500)
    expect(problems).toEqual([])
    await desktop.context().close()
  })

  it('every control is reached with Tab and shows its focus; Escape collapses to a small badge, which brings it back', async () => {
    const page = await panelWithBuy(DESKTOP)
    /** The focused control in the panel, and whether its focus ring is drawn. */
    const focused = () =>
      inPanel(page, (root) => {
        const active = root.activeElement as HTMLElement | null
        if (!active) return null
        const name = active.getAttribute('data-control') ?? active.getAttribute('data-filter') ?? active.getAttribute('role') ?? active.tagName.toLowerCase()
        return { name, ring: getComputedStyle(active).outlineStyle == 'solid' && active.matches(':focus-visible') }
      })
    const reached: string[] = []
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab')
      const f = await focused()
      if (!f) continue
      expect(f.ring, `focus ring on ${f.name}`).toBe(true)
      if (!reached.includes(f.name)) reached.push(f.name)
    }
    expect(reached.slice(0, 6)).toEqual(['separator', 'clear', 'collapse', 'tool', 'name', 'outcome'])
    expect(reached).toContain('summary')

    // Escape from inside the panel: a badge with the count, focused; Enter on it: the panel again.
    await page.keyboard.press('Escape')
    expect(await inPanel(page, (root) => (root.querySelector('.panel') as HTMLElement).hidden)).toBe(true)
    const badge = await box(page, '.badge')
    expect(badge.width).toBeLessThan(160)
    expect(badge.height).toBeLessThan(48)
    expect(badge.right).toBe(1200 - 12)
    expect(await focused()).toEqual({ name: 'expand', ring: true })
    expect(await inPanel(page, (root) => root.querySelector('.badge')!.textContent)).toMatch(/^tagrelay · \d+$/)
    await page.keyboard.press('Enter')
    expect(await inPanel(page, (root) => (root.querySelector('.panel') as HTMLElement).hidden)).toBe(false)
    expect((await focused())!.name).toBe('collapse')
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('the height follows a drag of the grip and the arrow keys, under a strict CSP', async () => {
    const page = await panelWithBuy(DESKTOP)
    const grip = await box(page, '.grip')
    const x = grip.left + grip.width / 2
    const y = grip.top + grip.height / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y - 50)
    await page.mouse.move(x, y - 100)
    await page.mouse.up()
    expect((await box(page, '.panel')).height).toBe(420)
    await inPanel(page, (root) => (root.querySelector('.grip') as HTMLElement).focus())
    await page.keyboard.press('ArrowDown')
    expect((await box(page, '.panel')).height).toBe(396)
    expect(await inPanel(page, (root) => root.querySelector('.grip')!.getAttribute('aria-valuenow'))).toBe('396')
    // The body still scrolls inside the new height, with the header and filters in place.
    expect((await box(page, '.panel')).bottom).toBe(860 - 12)
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('filters and Clear work in the browser: the outcome filter, then Clear, then a new event', async () => {
    const page = await panelWithBuy(DESKTOP)
    await page.evaluate(() => {
      const select = document.getElementById('tagrelay-debugger')!.shadowRoot!.querySelector('[data-filter="outcome"]') as HTMLSelectElement
      select.focus()
    })
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    const held = await inPanel(page, (root) => [...root.querySelectorAll('tr')].map((r) => r.getAttribute('data-tool') + ':' + r.getAttribute('data-outcome')))
    expect(held).toEqual(['ads:held'])
    await inPanel(page, (root) => (root.querySelector('[data-control="clear"]') as HTMLElement).click())
    expect(await inPanel(page, (root) => root.querySelector('.body > p')?.textContent)).toBe('Cleared. New events show here.')
    expect(await inPanel(page, (root) => root.querySelectorAll('tr').length)).toBe(0)
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('later'))
    await until('the later event, counted and filtered out (no line of it is held)', async () => (await inPanel(page, (root) => root.querySelector('.count')!.textContent)) == '0 of 1 events')
    expect(problems).toEqual([])
    await page.context().close()
  })
})
