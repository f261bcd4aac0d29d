/**
 * Amplitude's exact requests, with a fixed clock (1,700,000,000,000 ms), a fixed random source
 * (0.5, so every random hex digit is 8) and a Safari on macOS user agent. Expected values are
 * written out from the official component's documented facts (its README: endpoint, body, the
 * `user_` / `groups_` prefixes, the e-commerce mapping) and Amplitude's HTTP API v2.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { setup } from './helpers'
import { freshPageEachTest, headersOf, EXPORTED_ACTIONS } from './run-built-in'

const T = 1_700_000_000_000
const DEVICE = '88888888-8888-4888-8888-888888888888'
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'
const KV = (key: string) => `tagrelay_kv_amp:${key}`

beforeAll(() => Object.defineProperty(navigator, 'userAgent', { value: SAFARI, configurable: true }))
afterAll(() => Reflect.deleteProperty(navigator, 'userAgent'))

freshPageEachTest('Shop')

function run(extra: Record<string, unknown> = {}, zarazExtra: Record<string, unknown> = {}) {
  return setup(
    {
      settings: { ecommerce: true },
      tools: {
        amp: {
          type: 'component',
          component: 'amplitude',
          settings: { api_key: 'amp_key', ecommerce: true },
          permissions: ['access_client_kv', 'server_network_requests'],
          actions: { ...EXPORTED_ACTIONS },
          ...extra,
        },
      },
      ...zarazExtra,
    },
    { env: { random: () => 0.5 } },
  )
}

/** The fields every event of this visitor carries, in the official component's order. */
const COMMON = {
  language: 'en-US',
  ip: '$remote',
  session_id: T,
  os_name: 'Mac OS',
  os_version: '10.15.7',
  device_manufacturer: 'Apple',
  device_model: 'Macintosh',
  device_id: DEVICE,
}

describe('Amplitude', () => {
  test('a pageview is a JSON POST of one pageview event to the HTTP API, with a new device id and session', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect([r.method, r.url, headersOf(r), r.mode, r.credentials]).toEqual(['POST', 'https://api2.amplitude.com/2/httpapi', { 'content-type': 'application/json' }, undefined, undefined])
    const body = JSON.parse(r.body!)
    expect(body).toEqual({
      api_key: 'amp_key',
      events: [{ event_type: 'pageview', event_properties: { url: location.href }, user_properties: {}, groups: {}, ...COMMON }],
    })
    expect(Object.keys(body.events[0])).toEqual(['event_type', 'event_properties', 'user_properties', 'groups', ...Object.keys(COMMON)])
    expect(localStorage.getItem(KV('device_id'))).toContain(DEVICE)
    expect(sessionStorage.getItem(KV('session_id'))).toContain(String(T))
  })

  test('an event: its event_type field names it (else the event name); user_ and groups_ fields are user properties and groups', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { event_type: 'sign_up', plan: 'pro', user_tier: 'gold', groups_company: 'ACME', user_id: 'u-1' })
    await zaraz.track('Logout')
    const [signup, logout] = transport.requests
    expect(JSON.parse(signup.body!).events[0]).toEqual({
      event_type: 'sign_up',
      user_id: 'u-1',
      // (The official component also files `user_id` under user properties, as `id`.)
      event_properties: { url: location.href, event_type: 'sign_up', plan: 'pro' },
      user_properties: { tier: 'gold', id: 'u-1' },
      groups: { company: 'ACME' },
      ...COMMON,
    })
    expect(JSON.parse(logout.body!).events[0].event_type).toBe('Logout')
  })

  test('the device id and session are kept on the next page; a new browser session starts a new session id', async () => {
    const a = run()
    await a.zaraz.track('Pageview')
    const b = run()
    b.clock.advance(60_000)
    await b.zaraz.track('Pageview')
    const next = JSON.parse(b.transport.requests[0].body!).events[0]
    expect([next.device_id, next.session_id]).toEqual([DEVICE, T])
    sessionStorage.clear()
    const c = run()
    c.clock.advance(3_600_000)
    await c.zaraz.track('Pageview')
    const later = JSON.parse(c.transport.requests[0].body!).events[0]
    expect([later.device_id, later.session_id]).toEqual([DEVICE, T + 3_600_000])
  })

  test('a device_id field is used as it is and not kept', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { device_id: 'dev-given' })
    expect(JSON.parse(transport.requests[0].body!).events[0].device_id).toBe('dev-given')
    expect(localStorage.getItem(KV('device_id'))).toBeNull()
  })

  test('EU data residency and the minimum id length setting', async () => {
    const { zaraz, transport } = run({ settings: { api_key: 'amp_key', eu_data: true, min_id_length: 3 } })
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect(r.url).toBe('https://api.eu.amplitude.com/2/httpapi')
    expect(Object.keys(JSON.parse(r.body!))).toEqual(['api_key', 'options', 'events'])
    expect(JSON.parse(r.body!).options).toEqual({ min_id_length: 3 })
  })

  const ORDER = {
    order_id: 'o-1',
    total: 59.9,
    revenue: 50,
    currency: 'EUR',
    products: [
      { product_id: 'p1', name: 'Tee', price: 24, quantity: 2 },
      { product_id: 'p2', name: 'Mug', price: 11.9, quantity: 1 },
    ],
  }

  test.each([
    ['Order Completed', 'Purchase'],
    ['Order Refunded', 'Refund'],
  ])('%s carries revenue, product ids, quantity and the revenue type %s', async (name, revenueType) => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce(name, ORDER)
    const event = JSON.parse(transport.requests[0].body!).events[0]
    expect(event).toEqual({
      event_type: name,
      event_properties: { url: location.href, name, ...ORDER, event_type: name, productId: 'p1,p2', quantity: 3, revenueType },
      user_properties: {},
      groups: {},
      ...COMMON,
      revenue: 50,
      revenueType,
      productId: 'p1,p2',
      quantity: 3,
    })
  })

  test('another e-commerce event is sent under its name; revenue falls back to total, then value', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Product Added', { product_id: 'p1', value: 24, products: [{ product_id: 'p1', quantity: 1 }] })
    await zaraz.ecommerce('Checkout Started', { total: 30, value: 24, products: [] })
    const [added, checkout] = transport.requests.map((r) => JSON.parse(r.body!).events[0])
    expect([added.event_type, added.revenue, added.revenueType, added.productId, added.quantity]).toEqual(['Product Added', 24, undefined, 'p1', 1])
    expect([checkout.event_type, checkout.revenue, checkout.productId, checkout.quantity]).toEqual(['Checkout Started', 30, undefined, undefined])
  })

  test('without consent for its purpose no id is stored and nothing is sent', async () => {
    const { zaraz, transport } = run({ defaultPurpose: 'an' }, { consent: { enabled: true, purposes: { an: { name: 'Analytics', description: 'stats' } } } })
    zaraz.consent.set({ an: false })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(localStorage.getItem(KV('device_id'))).toBeNull()
    expect(sessionStorage.getItem(KV('session_id'))).toBeNull()
  })
})
