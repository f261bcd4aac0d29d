/**
 * Pinterest Tag (`pinterest`): the exact requests, with a fixed clock (1,700,000,000,000 ms).
 * Expected values are written out from the official component's facts (docs/tools/pinterest.md),
 * not computed with the tool's code.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
const ENDPOINT = 'https://ct.pinterest.com/v3/'
/** sha256("jane@example.com") */
const JANE = '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d'

freshPageEachTest()

const params = (r: RecordedRequest) => Object.fromEntries(pairs(r))

function run(extra: Record<string, unknown> = {}) {
  const tool = { type: 'component', component: 'pinterest', permissions: ['client_network_requests'], settings: { tid: '2612345678901', ecommerce: true }, automatedActions: { pageview: true, ecommerce: true }, ...extra }
  return setup({ settings: { ecommerce: true }, tools: { pin: tool } })
}
const action = (type: string, data: Record<string, unknown> = {}) => run({ automatedActions: undefined, actions: { a: { actionType: type, firingTriggers: ['AllTracks'], data } } })

/** The page as the `ad` parameter carries it. */
const ad = () => `{"loc":"${location.href}","ref":"","if":false,"sh":"768","sw":"1024","mh":"2424edb5"}`

const ORDER = {
  order_id: 'o-1',
  total: 59.9,
  revenue: 50,
  currency: 'EUR',
  products: [
    { product_id: 'p1', sku: 's1', name: 'Relay Tee', brand: 'RG', category: 'Apparel', variant: 'M', price: 24, quantity: 2 },
    { product_id: 'p2', name: 'Mug', price: 11.9, quantity: 1 },
  ],
}

describe('Pinterest Tag', () => {
  test('a pageview is a no-cors GET to /v3/ with the page, the time, the tag id and event=pageview', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method ?? 'GET', base(r), r.mode, r.credentials]).toEqual(['GET', ENDPOINT, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([
      ['ad', ad()],
      ['cb', String(T)],
      ['tid', '2612345678901'],
      ['event', 'pageview'],
      ['pd[tm]', 'pinterest-mc'],
    ])
  })

  test.each(['lead', 'signup', 'watchvideo', 'viewcategory', 'custom', 'addtocart', 'checkout', 'search'])('a %s action is that event, its fields as ed', async (type) => {
    const { zaraz, transport } = action(type, { lead_type: 'Newsletter', video_title: '{{ client.title }}' })
    await zaraz.track('x', { title: 'Demo' })
    expect(pairs(transport.requests[0])).toEqual([
      ['ad', ad()],
      ['cb', String(T)],
      ['tid', '2612345678901'],
      ['event', type],
      ['pd[tm]', 'pinterest-mc'],
      ['ed', '{"lead_type":"Newsletter","video_title":"Demo"}'],
    ])
  })

  test('a user-defined-event action is sent under its ude name; tm names the tag manager', async () => {
    const { zaraz, transport } = action('user-defined-event', { ude: 'WatchedDemo', tm: 'zaraz' })
    await zaraz.track('x')
    const p = params(transport.requests[0])
    expect([p.event, p['pd[tm]'], p.ed]).toEqual(['WatchedDemo', 'zaraz', '{"ude":"WatchedDemo","tm":"zaraz"}'])
  })

  test('pdem is sent as pd[em], SHA-256 hashed, never in clear nor in ed; a tid field re-points the hit', async () => {
    const { zaraz, transport } = action('lead', { pdem: ' Jane@Example.com ', tid: '999' })
    await zaraz.track('x')
    const p = pairs(transport.requests[0])
    expect(p.slice(2)).toEqual([
      ['tid', '999'],
      ['event', 'lead'],
      ['pd[em]', JANE],
      ['pd[tm]', 'pinterest-mc'],
    ])
    expect(transport.requests[0].url.toLowerCase()).not.toContain('example')
  })

  test('a pdem that already is a SHA-256 digest is sent as it is', async () => {
    const { zaraz, transport } = action('lead', { pdem: JANE.toUpperCase() })
    await zaraz.track('x')
    expect(params(transport.requests[0])['pd[em]']).toBe(JANE)
  })

  test('hits leave in event order while one waits for its hash', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: 'lead', firingTriggers: ['AllTracks'], data: { pdem: '{{ client.email }}' } } } })
    const first = zaraz.track('x', { email: 'jane@example.com' })
    const second = zaraz.track('x')
    await Promise.all([first, second])
    await transport.waitFor(2)
    expect(transport.requests.map((r) => params(r)['pd[em]'])).toEqual([JANE, undefined])
  })

  test('Order Completed is checkout: order id, currency, value (revenue first), each product field by index, falling back to the sku', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Order Completed', ORDER)
    expect(transport.requests).toHaveLength(1)
    const p = pairs(transport.requests[0])
    expect(p.slice(0, 5)).toEqual([
      ['ad', ad()],
      ['cb', String(T)],
      ['tid', '2612345678901'],
      ['event', 'checkout'],
      ['pd[tm]', 'pinterest-mc'],
    ])
    expect(JSON.parse(params(transport.requests[0]).ed)).toEqual({
      name: 'Order Completed',
      order_id: 'o-1',
      currency: 'EUR',
      value: 50,
      'product_product_id[0]': 'p1',
      'product_sku[0]': 's1',
      'product_category[0]': 'Apparel',
      'product_name[0]': 'Relay Tee',
      'product_brand[0]': 'RG',
      'product_variant[0]': 'M',
      'product_price[0]': 24,
      'product_product_id[1]': 'p2',
      'product_name[1]': 'Mug',
      'product_price[1]': 11.9,
    })
  })

  test('Product Added is addtocart and Products Searched is search; other e-commerce names are not sent', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Product Added', { product_id: 'p1', quantity: 2, total: 48, currency: 'EUR' })
    await zaraz.ecommerce('Products Searched', { query: 'tees' })
    await zaraz.ecommerce('Product Viewed', { product_id: 'p1' })
    expect(transport.requests.map((r) => params(r).event)).toEqual(['addtocart', 'search'])
    expect(JSON.parse(params(transport.requests[0]).ed)).toEqual({ name: 'Product Added', currency: 'EUR', value: 48, order_quantity: 2 })
  })

  test('a plain event action sends nothing (the official component has no event listener)', async () => {
    const { zaraz, transport } = run({ automatedActions: { track: true } })
    await zaraz.track('Signup')
    expect(transport.requests).toEqual([])
  })
})
