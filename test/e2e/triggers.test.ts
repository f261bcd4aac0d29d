// Page-driven trigger rules in real Chromium: clicks (CSS, XPath, a link that navigates away),
// form submissions with and without validation, scroll depth, element visibility, timers and
// variable matches, on a page under a strict nonce CSP, against the local collector.
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

type Body = Record<string, unknown>

describe('page-driven triggers in Chromium', () => {
  const fx = fixtureServerAndBrowser('triggers')
  const problems: string[] = []

  const events = (name?: string): Body[] =>
    fx.server.collected.filter((r) => r.path == '/collect').map((r) => r.body as Body).filter((b) => !name || b.event == name)

  async function until<T>(what: string, probe: () => T | undefined | false, ms = 10_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const v = probe()
      if (v) return v
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; collector has ${JSON.stringify(events())}; problems: ${problems.join('; ')}`)
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  async function open(): Promise<Page> {
    const page = await fx.browser.newPage({ viewport: { width: 1000, height: 700 } })
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() == 'error') problems.push(`console.error: ${m.text()}`)
    })
    await page.goto(fx.server.url + '/')
    // The page rules chunk is armed once the timer trigger has fired (it starts when they are armed).
    await until('the timer trigger', () => events('tick').length >= 1)
    return page
  }

  beforeEach(() => {
    fx.server.clear()
    problems.length = 0
  })

  it('a CSS click listener fires for the element and gives templates its text and attributes (and expressions work)', async () => {
    const page = await open()
    await page.click('.buy b')
    const [buy] = await until('the buy click', () => (events('buy').length ? events('buy') : false))
    expect(buy).toMatchObject({ tool: 'collector', event: 'buy', text: 'Buy now', sku: 'sku-42', label: 'BUY NOW' })
    await page.click('#xp')
    const [xp] = await until('the XPath click', () => (events('xpath').length ? events('xpath') : false))
    expect(xp).toMatchObject({ event: 'xpath', text: 'Add To Cart' })
    expect(events('buy')).toHaveLength(1)
    expect(problems).toEqual([])
    await page.close()
  })

  it('an XPath click rule whose expression is not a node set is reported and not armed; clicks never throw', async () => {
    const page = await fx.browser.newPage()
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    const errors: string[] = []
    page.on('console', (m) => void (m.type() == 'error' && errors.push(m.text())))
    await page.goto(fx.server.url + '/xpath-value.html')
    await page.click('.buy') // the page rules are armed once this click arrives
    await until('the buy click', () => events('buy').length == 1)
    await page.click('.buy')
    await until('the second buy click', () => events('buy').length == 2)
    expect(problems).toEqual([])
    expect(events('count')).toEqual([])
    expect(errors.join('\n')).toContain('triggers.countClick: clickListener settings.selector: invalid XPath expression')
    await page.close()
  })

  it('a link with waitForTags navigates away only after its event was sent, and the event arrives', async () => {
    const page = await open()
    await Promise.all([page.waitForURL('**/next.html'), page.click('#leave')])
    const [leave] = await until('the leave click', () => (events('leave').length ? events('leave') : false))
    expect(leave).toMatchObject({ event: 'leave', href: fx.server.url + '/next.html' })
    expect(await page.textContent('#arrived')).toBe('Arrived')
    await page.close()
  })

  it('form submission: with validate only a valid form fires; without, any submit fires', async () => {
    const page = await open()
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => f.setAttribute('data-stay', 'yes')))
    await page.click('#submit-checked') // empty required field: the browser blocks the submit
    await page.click('#submit-unchecked') // novalidate, validate off: fires
    await until('the unchecked form', () => events('any-form').length == 1)
    expect(events('valid-form')).toHaveLength(0)
    await page.fill('#email', 'someone@example.com')
    await page.click('#submit-checked')
    const [valid] = await until('the validated form', () => (events('valid-form').length ? events('valid-form') : false))
    expect(valid).toMatchObject({ form: 'checked' })
    expect(JSON.stringify(events())).not.toContain('someone@example.com')
    await page.close()
  })

  it('scroll depth fires each position once; element visibility fires once per element', async () => {
    const page = await open()
    expect(events('seen')).toHaveLength(0)
    await page.mouse.wheel(0, 1200)
    await until('1500px', () => events('scroll').some((e) => e.position == '1500px'))
    expect(events('scroll').map((e) => e.position)).toEqual(['1500px'])
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await until('50% and the footer', () => events('scroll').length == 2 && events('seen').length == 1)
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await page.evaluate(() => (window as unknown as { zaraz: { track(n: string): Promise<unknown> } }).zaraz.track('barrier'))
    await page.waitForTimeout(300) // lets a wrongly repeated scroll check (every 200 ms) show up before counting
    expect(events('scroll').map((e) => e.position).sort()).toEqual(['1500px', '50%'])
    expect(events('seen')).toEqual([expect.objectContaining({ text: 'Free shipping over 50' })])
    await page.close()
  })

  it('a timer fires interval by interval up to its limit; a variable match fires on zaraz.set', async () => {
    const page = await open()
    await until('two ticks', () => events('tick').length == 2)
    expect(events('tick').map((e) => e.count)).toEqual([1, 2])
    await page.evaluate(() => {
      const z = (window as unknown as { zaraz: { set(k: string, v: unknown): void } }).zaraz
      z.set('tier', 'silver')
      z.set('tier', 'gold')
    })
    await until('the gold match', () => events('gold').length == 1)
    await page.close()
  })
})
