// Page data never re-points a tool, and a secret in the config keeps the runtime inert: in real
// Chromium against dist/tagrelay.min.js and the demo server's collector. The warehouse tool posts
// to /collect/ok and the pixel requests /collect/pixel/ok; the page tries every way it has to send
// them elsewhere (/collect/evil, /collect/pixel/evil).
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

type Z = { zaraz: { track(n: string, p?: object): Promise<unknown>; set(k: string, v: unknown, o?: object): void }; dataLayer: unknown[] }

describe('page data in Chromium', () => {
  const fx = fixtureServerAndBrowser('repoint')

  const paths = () => fx.server.collected.map((r) => r.path)
  async function until(what: string, probe: () => boolean) {
    for (let i = 0; i < 400 && !probe(); i++) await new Promise((r) => setTimeout(r, 25))
    if (!probe()) throw new Error(`timed out waiting for ${what}; collected: ${paths().join(', ')}`)
  }

  it('a track, a persisted set and a data-layer push naming the endpoint, the method or the image URL change nothing', async () => {
    fx.server.clear()
    const context = await fx.browser.newContext()
    const page: Page = await context.newPage()
    const uncaught: string[] = []
    page.on('pageerror', (e) => uncaught.push(e.message))
    await page.goto(fx.server.url + '/')
    await page.evaluate(async () => {
      const w = window as unknown as Z
      await w.zaraz.track('t1', { __setting_endpoint: '/collect/evil', __setting_method: 'get', imgSrc: '/collect/pixel/evil', n: 1 })
      w.zaraz.set('__setting_endpoint', '/collect/evil', { scope: 'persist' })
      w.zaraz.set('imgSrc', '/collect/pixel/evil', { scope: 'persist' })
      await w.zaraz.track('t2', { n: 2 })
      w.dataLayer.push({ __setting_endpoint: '/collect/evil', imgSrc: '/collect/pixel/evil' })
      w.dataLayer.push({ event: 't3', n: 3 })
    })
    // 1 pageview + 3 events to the warehouse, 3 images.
    await until('the first page view’s requests', () => paths().length >= 7)
    // The persisted values are read again by the next page view.
    await page.reload()
    await page.evaluate(() => (window as unknown as Z).zaraz.track('t4', { n: 4 }))
    await until('the second page view’s requests', () => paths().length >= 10)
    await new Promise((r) => setTimeout(r, 300))
    const got = fx.server.collected.map((r) => `${r.method} ${r.path} ${r.path == '/collect/ok' ? (r.body as { event: string }).event : r.query.e}`)
    expect(got.sort()).toEqual(
      [
        'POST /collect/ok Pageview',
        'POST /collect/ok t1',
        'POST /collect/ok t2',
        'POST /collect/ok t3',
        'POST /collect/ok Pageview',
        'POST /collect/ok t4',
        'GET /collect/pixel/ok t1',
        'GET /collect/pixel/ok t2',
        'GET /collect/pixel/ok t3',
        'GET /collect/pixel/ok t4',
      ].sort(),
    )
    // The other properties went as the config asks.
    expect(fx.server.collected.find((r) => r.path == '/collect/ok' && (r.body as { event: string }).event == 't1')!.body).toEqual({ event: 't1', n: 1 })
    expect(uncaught).toEqual([])
    await context.close()
  })

  it('a server secret in a tool entry keeps the runtime inert and the console names its path', async () => {
    fx.server.clear()
    const page = await fx.browser.newPage()
    const errors: string[] = []
    page.on('console', (m) => m.type() == 'error' && errors.push(m.text()))
    await page.goto(fx.server.url + '/secret.html')
    expect(await page.evaluate(() => (window as unknown as Z).zaraz.track('x'))).toEqual({ return: {} })
    await until('the config error', () => errors.some((e) => e.includes('tools.capi.defaultFields.accessToken')))
    expect(errors.join('\n')).toContain('tools.capi.defaultFields.accessToken: must not be in a browser config, whatever the tool')
    expect(fx.server.collected).toEqual([])
    await page.close()
  })
})
