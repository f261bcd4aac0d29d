// The runtime on a page with a nonce-based CSP and Trusted Types enforced (docs/csp.md): chunks
// load, Custom HTML inserts markup and runs its scripts, client.execute runs, nothing is blocked.
import { describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

type Page = Window & { violations: string[]; customRan?: number; customExternal?: boolean; executed?: boolean }

describe('CSP and Trusted Types in Chromium', () => {
  const fx = fixtureServerAndBrowser('delivery')


  it("works under script-src 'nonce-…' 'self' with require-trusted-types-for 'script' and trusted-types tagrelay", async () => {
    const page = await fx.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    page.on('console', (m) => m.type() == 'error' && problems.push(`console.error: ${m.text()}`))
    const response = await page.goto(fx.server.url + '/csp.html')
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+' 'self'/)
    // The page really enforces Trusted Types: a plain string into a sink is refused.
    expect(await page.evaluate(() => {
      try {
        document.createElement('div').innerHTML = '<b>x</b>'
        return 'allowed'
      } catch {
        return 'refused'
      }
    })).toBe('refused')
    await page.evaluate(() => ((window as unknown as Page).violations.length = 0))
    problems.length = 0
    const end = Date.now() + 30_000
    const state = () =>
      page.evaluate(() => {
        const w = window as unknown as Page
        return { custom: !!document.getElementById('custom'), ran: w.customRan, external: w.customExternal, executed: w.executed, violations: w.violations }
      })
    let s = await state()
    while (!(s.custom && s.ran && s.external && s.executed && fx.server.collected.some((r) => r.path == '/collect')) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50))
      s = await state()
    }
    expect(s).toEqual({ custom: true, ran: 1, external: true, executed: true, violations: [] })
    // The HTTP Request tool is a chunk loaded with a script src through the policy.
    expect(fx.server.collected.find((r) => r.path == '/collect')?.body).toMatchObject({ event: 'Pageview', path: '/csp.html' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('the consent modal shows its intro as markup through the same policy (the modal file makes none of its own)', async () => {
    const page = await fx.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    page.on('console', (m) => m.type() == 'error' && problems.push(`console.error: ${m.text()}`))
    await page.goto(fx.server.url + '/csp-consent.html')
    // A first visit: the modal opens by itself, in its shadow root.
    await page.waitForFunction(() => !!document.querySelector('[data-tagrelay-consent]')?.shadowRoot?.querySelector('dialog[open]'), null, { timeout: 30_000 })
    const intro = await page.evaluate(() => {
      const box = document.querySelector('[data-tagrelay-consent]')!.shadowRoot!.getElementById('cf_consent-intro')!
      return { bold: box.querySelector('#intro-b')?.textContent, link: box.querySelector('a')?.getAttribute('href') }
    })
    // Markup, not the HTML source shown as text (what a policy of its own, refused by the page, gave).
    expect(intro).toEqual({ bold: 'We use cookies', link: '/privacy' })
    expect(await page.evaluate(() => (window as unknown as Page).violations)).toEqual([])
    expect(problems).toEqual([])
    await page.close()
  })
})
