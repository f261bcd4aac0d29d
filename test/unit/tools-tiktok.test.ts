/**
 * The TikTok pixel's exact requests: the events Zaraz's component (managed-components/tiktok) sends
 * to the Events API, as TikTok's browser pixel sends them, with a fixed clock (1,700,000,000,000 ms
 * = 2023-11-14T22:13:20.000Z) and a fixed random source (0.5). Expected values are written out
 * from the component's facts (event names, properties, user fields) and the pixel's body.
 */
import { describe, expect, test } from 'vitest'
import { validateConfig } from '../../src/index'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest } from './run-built-in'

const ENDPOINT = 'https://analytics.tiktok.com/api/v2/pixel'
/** round(0.5 × 1e17): the event id Zaraz's component makes. */
const EVENT_ID = '50000000000000000'
const TIME = '2023-11-14T22:13:20.000Z'
/** SHA-256 of the trimmed, lower-cased values. */
const EMAIL = '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d'
const PHONE = '8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4'
const EXTERNAL = '16ec525b74b75626eb93ecad8acc749885fcf4e83c95b139342769a4ab1828a3'

freshPageEachTest()

const json = (r: RecordedRequest) => JSON.parse(r.body ?? '')

const tiktok = (tool: Record<string, unknown> = {}) =>
  setup(
    {
      settings: { ecommerce: true },
      tools: {
        tt: {
          type: 'component',
          component: 'tiktok',
          permissions: ['access_client_kv', 'server_network_requests'],
          settings: { pixelCode: 'CABCDEF1234567', ecommerce: true },
          automatedActions: { pageview: true, track: true, ecommerce: true },
          ...tool,
        },
      },
    },
    { env: { random: () => 0.5 } },
  )

const page = () => ({ url: location.href, referrer: '' })

describe('TikTok pixel', () => {
  test('a pageview is a no-cors JSON POST to the pixel endpoint: ViewContent, an event id, the page and the pixel code', async () => {
    const { zaraz, transport } = tiktok()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, r.url, r.mode, r.credentials]).toEqual(['POST', ENDPOINT, 'no-cors', 'include'])
    expect(r.body).toBe(
      JSON.stringify({ event: 'ViewContent', event_id: EVENT_ID, timestamp: TIME, context: { page: page(), pixel: { code: 'CABCDEF1234567' }, user: {} }, properties: {} }),
    )
  })

  test("an event: the ev field names it (else cev, else the track's name), other fields are its properties", async () => {
    const { zaraz, transport } = tiktok({
      automatedActions: { track: true },
      actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { ev: 'CompleteRegistration', event_id: 'ev-9', ldu: true, plan: '{{ client.plan }}' } } },
    })
    await zaraz.track('Signup', { plan: 'pro', value: 12 })
    const [named, automated] = transport.requests.map(json)
    expect(named).toEqual({
      event: 'CompleteRegistration',
      event_id: 'ev-9',
      timestamp: TIME,
      context: { page: page(), pixel: { code: 'CABCDEF1234567' }, user: {} },
      properties: { plan: 'pro' },
      limited_data_use: true,
    })
    expect([automated.event, automated.properties]).toEqual(['Signup', { plan: 'pro', value: 12 }])
  })

  test('email, phone (also as phone_number) and external_id go hashed to context.user, ttp and locale as they are', async () => {
    const { zaraz, transport } = tiktok({
      automatedActions: {},
      actions: {
        a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { email: ' Jane@Example.com ', phone_number: '+15551234567', external_id: 'U-42', ttp: 'ttp-1', locale: 'en_US' } },
      },
    })
    await zaraz.track('Signup')
    expect(json(transport.requests[0]).context.user).toEqual({ email: EMAIL, phone: PHONE, external_id: EXTERNAL, ttp: 'ttp-1', locale: 'en_US' })
    expect(transport.requests[0].body).not.toContain('Jane')
  })

  test('ttclid of the landing URL is sent as context.ad.callback and kept 28 days for later pages', async () => {
    history.replaceState({}, '', '/landing?ttclid=E.C.P.abc')
    const a = tiktok()
    await a.zaraz.track('Pageview')
    expect(json(a.transport.requests[0]).context.ad).toEqual({ callback: 'E.C.P.abc' })
    const stored = Object.keys(localStorage).find((k) => k.endsWith(':ttclid'))!
    expect(JSON.parse(localStorage.getItem(stored)!).e).toBe(1_700_000_000_000 + 28 * 24 * 3600 * 1000)
    history.replaceState({}, '', '/next')
    const b = tiktok()
    await b.zaraz.track('Pageview')
    expect(json(b.transport.requests[0]).context.ad).toEqual({ callback: 'E.C.P.abc' })
  })

  const ORDER = {
    order_id: 'o-1',
    total: 59.9,
    revenue: 50,
    currency: 'EUR',
    products: [
      { product_id: 'p1', sku: 's1', name: 'Relay Tee', brand: 'RG', category: 'Apparel', price: 24, quantity: 2 },
      { product_id: 'p2', name: 'Mug', price: 11.9 },
    ],
  }

  test('Order Completed is CompletePayment: value (revenue first), currency, contents, content_type, order_id', async () => {
    const { zaraz, transport } = tiktok()
    await zaraz.ecommerce('Order Completed', ORDER)
    const body = json(transport.requests[0])
    expect(body.event).toBe('CompletePayment')
    expect(body.properties).toEqual({
      value: 50,
      currency: 'EUR',
      contents: [
        { quantity: 2, price: 24, content_id: 's1', content_category: 'Apparel', content_name: 'Relay Tee', brand: 'RG' },
        { price: 11.9, content_id: 'p2', content_name: 'Mug' },
      ],
      content_type: 'product',
      order_id: 'o-1',
    })
  })

  test.each([
    ['Product Added', 'AddToCart'],
    ['Products Searched', 'Search'],
    ['Checkout Started', 'InitiateCheckout'],
    ['Payment Info Entered', 'AddPaymentInfo'],
    ['Product Added to Wishlist', 'AddToWishlist'],
    ['Product Viewed', 'ViewContent'],
    ['Cart Viewed', 'Cart Viewed'],
  ])('%s is sent as %s', async (name, event) => {
    const { zaraz, transport } = tiktok()
    await zaraz.ecommerce(name, { product_id: 'p1', price: 5, currency: 'USD', query: 'tee' })
    const body = json(transport.requests[0])
    expect(body.event).toBe(event)
    expect(body.properties).toEqual({
      value: 5,
      currency: 'USD',
      contents: [{ price: 5, content_id: 'p1' }],
      content_type: 'product',
      ...(name == 'Products Searched' ? { query: 'tee' } : {}),
    })
  })

  test("Zaraz's exported permission server_network_requests covers the hit", async () => {
    const { zaraz, transport } = tiktok({ permissions: ['server_network_requests'] })
    await zaraz.track('Pageview')
    expect(transport.requests.map((r) => r.url)).toEqual([ENDPOINT])
  })

  test('the Events API access token is refused in the config; without a pixel code nothing is sent', async () => {
    expect(validateConfig({ tools: { tt: { component: 'tiktok', settings: { pixelCode: 'C1', accessToken: 'secret' } } } }).errors.length).toBeGreaterThan(0)
    const { zaraz, transport } = tiktok({ settings: {} })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })
})
