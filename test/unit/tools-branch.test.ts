/**
 * Branch's exact requests, with a fixed clock and a fixed random source (0.5: every id Branch
 * makes is ceil(0.5 × 10^13 + 10^13) = 15000000000000). Expected values are written out from the
 * official component's documented facts (endpoints, body fields, its e-commerce tables).
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest, headersOf } from './run-built-in'

const ID = '15000000000000'
const UA = navigator.userAgent
const KV = (key: string) => `tagrelay_kv_br:${key}`

freshPageEachTest('Shop')

const form = (r: RecordedRequest) => [...new URLSearchParams(r.body)]

function run(actions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, zarazExtra: Record<string, unknown> = {}) {
  return setup(
    {
      settings: { ecommerce: true },
      tools: {
        br: {
          type: 'component',
          component: 'branch',
          settings: { branchKey: 'key_live_abc', ecommerce: true },
          permissions: ['access_client_kv', 'client_network_requests'],
          actions: { pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} }, ...actions },
          ...extra,
        },
      },
      ...zarazExtra,
    },
    { env: { random: () => 0.5 } },
  )
}

const USER_DATA = (identity?: string) =>
  JSON.stringify({
    http_origin: location.origin,
    user_agent: UA,
    language: 'en-US',
    screen_width: 1024,
    screen_height: 768,
    http_referrer: '',
    browser_fingerprint_id: ID,
    identity,
    developer_identity: identity,
    sdk: 'web',
    sdk_version: '2.71.0',
  })

/** Header names lower-cased (the Headers implementation decides their case). */

const expectPost = (r: RecordedRequest, url: string) => {
  expect([r.method, r.url, headersOf(r), r.mode, r.credentials]).toEqual(['POST', url, { 'content-type': 'application/x-www-form-urlencoded' }, undefined, undefined])
}

describe('Branch', () => {
  test('a pageview is a form POST to /v1/pageview with the kept browser ids and the page', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expectPost(r, 'https://api2.branch.io/v1/pageview')
    expect(form(r)).toEqual([
      ['sdk', 'web2.71.0'],
      ['branch_key', 'key_live_abc'],
      ['identity_id', ID],
      ['browser_fingerprint_id', ID],
      ['session_id', ID],
      ['source', 'web-sdk'],
      ['feature', 'journeys'],
      ['event', 'pageview'],
      ['metadata', JSON.stringify({ url: location.href, user_agent: UA, language: 'en-US', screen_width: 1024, screen_height: 768, title: 'Shop' })],
      ['initial_referrer', ''],
      ['user_language', 'en'],
    ])
    expect(localStorage.getItem(KV('identity_id'))).toContain(ID)
    expect(localStorage.getItem(KV('browser_fingerprint_id'))).toContain(ID)
    expect(sessionStorage.getItem(KV('session_id'))).toContain(ID)
  })

  test('the ids made on one page are the ones the next page sends', async () => {
    const a = run()
    await a.zaraz.track('Pageview')
    localStorage.setItem(KV('identity_id'), JSON.stringify({ v: '11111111111111', e: 0 }))
    const b = run()
    await b.zaraz.track('Pageview')
    expect(Object.fromEntries(form(b.transport.requests[0])).identity_id).toBe('11111111111111')
  })

  test('identify keeps the identity: later calls carry it, logout forgets it', async () => {
    const on = (name: string) => ({ name, loadRules: [{ id: name, match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: name }], excludeRules: [] })
    const { zaraz, transport } = run(
      {
        id: { actionType: 'identify', firingTriggers: ['login'], data: { identity: '{{ client.user }}' } },
        out: { actionType: 'logout', firingTriggers: ['logout'], data: {} },
      },
      {},
      { triggers: { login: on('login'), logout: on('logout') } },
    )
    await zaraz.track('login', { user: 'u-42' })
    await zaraz.track('Pageview')
    await zaraz.track('logout')
    const [identify, pageview, logout] = transport.requests
    expectPost(identify, 'https://api2.branch.io/v1/profile')
    expect(form(identify)).toEqual([
      ['sdk', 'web2.71.0'],
      ['branch_key', 'key_live_abc'],
      ['identity_id', ID],
      ['browser_fingerprint_id', ID],
      ['session_id', ID],
      ['identity', 'u-42'],
    ])
    expect(Object.fromEntries(form(pageview)).identity).toBe('u-42')
    expectPost(logout, 'https://api2.branch.io/v1/logout')
    expect(form(logout).map(([k]) => k)).toEqual(['sdk', 'branch_key', 'identity_id', 'browser_fingerprint_id', 'session_id'])
  })

  test('a custom event goes to /v2/event/custom with its name, the user data and the other fields as custom data', async () => {
    const { zaraz, transport } = run({ ce: { actionType: 'custom_event', firingTriggers: ['AllTracks'], data: { custom_event_name: '{{ client.__zarazTrack }}', plan: '{{ client.plan }}' } } })
    await zaraz.track('Signup', { plan: 'pro' })
    const [r] = transport.requests
    expectPost(r, 'https://api2.branch.io/v2/event/custom')
    expect(form(r)).toEqual([
      ['name', 'Signup'],
      ['user_data', USER_DATA()],
      ['custom_data', JSON.stringify({ plan: 'pro' })],
      ['branch_key', 'key_live_abc'],
    ])
  })

  test('a lifecycle event goes to /v2/event/standard with transaction id and description as event data', async () => {
    const { zaraz, transport } = run({
      lc: { actionType: 'lifecycle_event', firingTriggers: ['AllTracks'], data: { lifecycle_event_name: 'COMPLETE_REGISTRATION', transaction_id: 't-1', description: 'signup', plan: 'pro' } },
    })
    await zaraz.track('Signup')
    const [r] = transport.requests
    expectPost(r, 'https://api2.branch.io/v2/event/standard')
    expect(form(r)).toEqual([
      ['name', 'COMPLETE_REGISTRATION'],
      ['user_data', USER_DATA()],
      ['custom_data', JSON.stringify({ plan: 'pro' })],
      ['event_data', JSON.stringify({ transaction_id: 't-1', description: 'signup' })],
      ['branch_key', 'key_live_abc'],
    ])
  })

  const ECOMMERCE: Array<[string, string]> = [
    ['Product Added', 'ADD_TO_CART'],
    ['Product Added to Wishlist', 'ADD_TO_WISHLIST'],
    ['Cart Viewed', 'VIEW_CART'],
    ['Checkout Started', 'INITIATE_PURCHASE'],
    ['Payment Info Entered', 'ADD_PAYMENT_INFO'],
    ['Clicked Promotion', 'CLICK_AD'],
    ['Viewed Promotion', 'VIEW_AD'],
    ['Product List Viewed', 'VIEW_ITEMS'],
    ['Product Viewed', 'VIEW_ITEM'],
    ['Products Searched', 'SEARCH'],
  ]
  const CART = {
    order_id: 'o-1',
    checkout_id: 'co-1',
    total: 59.9,
    revenue: 50,
    shipping: 5,
    tax: -1,
    coupon: 'SUMMER',
    currency: 'EUR',
    products: [
      { product_id: 'p1', sku: 's1', name: 'Relay Tee', brand: 'RG', category: 'APPAREL_AND_ACCESSORIES', variant: 'M', price: 24, quantity: 2 },
      { product_id: 'p2', sku: 7, name: 'Mug', category: 'mugs', price: '11.9', quantity: '1', $rating_count: 3 },
    ],
  }

  test.each(ECOMMERCE)('%s is the standard event %s with event data, custom data and content items checked as Branch takes them', async (name, event) => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce(name, CART)
    const [r] = transport.requests
    expectPost(r, 'https://api2.branch.io/v2/event/standard')
    expect(form(r)).toEqual([
      ['name', event],
      ['user_data', USER_DATA()],
      // A negative tax is left out.
      ['event_data', JSON.stringify({ transaction_id: 'o-1', revenue: 50, shipping: 5, coupon: 'SUMMER', currency: 'EUR' })],
      ['custom_data', JSON.stringify({ checkout_id: 'co-1', total: 59.9 })],
      [
        'content_items',
        // An unknown category and a quantity given as text are left out; a numeric sku stays a number.
        JSON.stringify([
          { $sku: 's1', $product_name: 'Relay Tee', $product_brand: 'RG', $product_category: 'APPAREL_AND_ACCESSORIES', $product_variant: 'M', $price: 24, $quantity: 2 },
          { $sku: 7, $product_name: 'Mug', $price: '11.9', $rating_count: 3 },
        ]),
      ],
      ['branch_key', 'key_live_abc'],
    ])
  })

  test('an e-commerce event Branch has no standard event for (Order Completed) sends nothing', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Order Completed', CART)
    expect(transport.requests).toEqual([])
  })

  test('without consent for its purpose no id is stored and nothing is sent', async () => {
    const { zaraz, transport } = run({}, { defaultPurpose: 'mkt' }, { consent: { enabled: true, purposes: { mkt: { name: 'Marketing', description: 'ads' } } } })
    zaraz.consent.set({ mkt: false })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(localStorage.getItem(KV('identity_id'))).toBeNull()
  })
})
