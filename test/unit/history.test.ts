import { beforeEach, describe, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'

beforeEach(() => {
  resetPage()
  history.replaceState({}, '', '/')
})

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

const events = (t: { requests: Array<{ json?: unknown }> }) => t.requests.map((r) => (r.json as { event: string; path: string }))

describe('historyChange: true', () => {
  const config = {
    historyChange: true,
    tools: { c: httpTool({ defaultFields: { ...httpTool().defaultFields, path: '{{ system.page.url.pathname }}' } }) },
  }

  test('pushState, replaceState, popstate and hashchange each send one pageview per distinct URL', async () => {
    const { zaraz, transport, clock } = setup(config)
    // The check runs after the current task (a timer on the runtime's clock).
    const settle = () => clock.advance(1)
    history.pushState({}, '', '/a')
    settle()
    await until(() => transport.requests.length == 1)
    history.replaceState({}, '', '/a') // same URL: no pageview
    settle()
    history.replaceState({}, '', '/b')
    settle()
    await until(() => transport.requests.length == 2)
    location.hash = 'section'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    settle()
    await until(() => transport.requests.length == 3)
    history.pushState({}, '', '/c')
    history.pushState({}, '', '/d')
    settle()
    await until(() => transport.requests.length >= 4)
    await zaraz.track('done')
    expect(events(transport).map((e) => `${e.event} ${e.path}`)).toEqual(['Pageview /a', 'Pageview /b', 'Pageview /b', 'Pageview /d', 'done /d'])
  })

  test('tools see the title the router set right after pushState, and the previous URL as referrer', async () => {
    const fields = { ...httpTool().defaultFields, href: '{{ system.page.url.href }}', title: '{{ system.page.title }}', referrer: '{{ system.page.referrer }}' }
    const { transport, clock } = setup({ historyChange: true, tools: { c: httpTool({ defaultFields: fields }) } })
    document.title = 'Home'
    history.pushState({}, '', '/products')
    document.title = 'Products' // a router names the page after navigating, in the same task
    clock.advance(1)
    await until(() => transport.requests.length == 1)
    history.pushState({}, '', '/products?sort=price')
    clock.advance(1)
    await until(() => transport.requests.length == 2)
    const [first, second] = transport.requests.map((r) => r.json as Record<string, string>)
    expect(first).toMatchObject({ href: location.origin + '/products', title: 'Products', referrer: location.origin + '/' })
    expect(second).toMatchObject({ href: location.origin + '/products?sort=price', referrer: location.origin + '/products' })
  })

  test('popstate and hashchange of one navigation make one pageview; going back to a URL seen before is a pageview', async () => {
    const { zaraz, transport, clock } = setup(config)
    history.pushState({}, '', '/a')
    clock.advance(1)
    await until(() => transport.requests.length == 1)
    // What a hash link does: the URL changes, then popstate and hashchange fire.
    history.replaceState({}, '', '/a#faq')
    window.dispatchEvent(new PopStateEvent('popstate'))
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    clock.advance(1)
    await until(() => transport.requests.length == 2)
    // And back: the URL is /a again.
    history.replaceState({}, '', '/a')
    window.dispatchEvent(new PopStateEvent('popstate'))
    clock.advance(1)
    await until(() => transport.requests.length == 3)
    await zaraz.track('done')
    expect(events(transport).map((e) => `${e.event} ${e.path}`)).toEqual(['Pageview /a', 'Pageview /a', 'Pageview /a', 'done /a'])
  })

  test('without historyChange, navigation sends nothing by itself', async () => {
    const { zaraz, transport, clock } = setup({ tools: { c: httpTool() } })
    history.pushState({}, '', '/x')
    clock.advance(1)
    await zaraz.track('marker')
    expect(events(transport).map((e) => e.event)).toEqual(['marker'])
  })
})

describe('what happens in the same task as a navigation', () => {
  const fields = {
    ...httpTool().defaultFields,
    path: '{{ system.page.url.pathname }}',
    referrer: '{{ system.page.referrer }}',
    title: '{{ system.page.title }}',
  }
  const config = { historyChange: true, tools: { c: httpTool({ defaultFields: fields }) } }

  test('a track made right after pushState (a route mount effect) belongs to the new page and comes after its pageview', async () => {
    const { zaraz, transport, clock } = setup(config)
    const start = location.href
    history.pushState({}, '', '/product')
    zaraz.set('product', 'p1', { scope: 'page' })
    const viewed = zaraz.track('product_viewed')
    document.title = 'Product'
    clock.advance(1)
    await viewed
    const got = transport.requests.map((r) => r.json as Record<string, unknown>)
    expect(got.map((b) => b.event)).toEqual(['Pageview', 'product_viewed'])
    expect(got[0]).toMatchObject({ path: '/product', referrer: start, title: 'Product', product: 'p1' })
    expect(got[1]).toMatchObject({ path: '/product', referrer: start, product: 'p1' })
  })

  test('a redirect in the same task makes one pageview, for the final URL', async () => {
    const { zaraz, transport, clock } = setup(config)
    history.pushState({}, '', '/old')
    history.replaceState({}, '', '/new')
    clock.advance(1)
    await zaraz.track('after')
    expect(transport.requests.map((r) => `${(r.json as { event: string }).event} ${(r.json as { path: string }).path}`)).toEqual(['Pageview /new', 'after /new'])
  })

  test('leaving and coming back within one task is no navigation', async () => {
    const { zaraz, transport, clock } = setup(config)
    const start = location.pathname
    history.pushState({}, '', '/away')
    history.pushState({}, '', start)
    clock.advance(1)
    await zaraz.track('after')
    expect(transport.requests.map((r) => (r.json as { event: string }).event)).toEqual(['after'])
  })

  test('a navigation before the runtime finished starting (expression engine loading) still gets its pageview', async () => {
    const { zaraz, transport, clock } = setup({
      historyChange: true,
      tools: { c: httpTool({ defaultFields: { ...fields, upper: '{{ $uppercase(system.page.url.pathname) }}' } }) },
    })
    history.replaceState({}, '', '/home')
    clock.advance(1)
    await zaraz.track('after')
    expect(transport.requests.map((r) => r.json)).toEqual([
      expect.objectContaining({ event: 'Pageview', path: '/home', upper: '/HOME' }),
      expect.objectContaining({ event: 'after', path: '/home' }),
    ])
  })
})
