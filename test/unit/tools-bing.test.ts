/**
 * Microsoft UET (`bing`): the exact requests, with a fixed clock (1,700,000,000,000 ms) and a fixed
 * random source (0.5). Expected values are written out from the official component's facts
 * (docs/tools/bing.md), not computed with the tool's code.
 */
import { describe, expect, test } from 'vitest'
import { createTestZaraz, type RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
const ENDPOINT = 'https://bat.bing.com/action/0'
const THREE_MONTHS_MS = 7_884_000_000
/** floor(0.5 × 1,000,000), and a UUID whose every random digit is 8. */
const RN = '500000'
const MID = '88888888-8888-4888-8888-888888888888'

freshPageEachTest('Shop')

const params = (r: RecordedRequest) => Object.fromEntries(pairs(r))
const stored = (key: string) => JSON.parse(localStorage.getItem(`tagrelay_kv_uet:${key}`) || 'null')

const ENTRY = { type: 'component', component: 'bing', settings: { ti: '12345', ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true } }
/** A pageview action without the event's properties: Consent Mode state reaches it only as the consent bridge hands it over. */
const PLAIN = { ...ENTRY, automatedActions: undefined, actions: { pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} } } }
const run = (extra: Record<string, unknown> = {}) => setup({ settings: { ecommerce: true }, tools: { uet: { ...ENTRY, ...extra } } }, { env: { random: () => 0.5 } })

/** UET's own parameters, in the order sent, after the event's fields. */
const uet = (evt: string): Array<[string, string]> => [
  ['evt', evt],
  ['ti', '12345'],
  ['tl', 'Shop'],
  ['rn', RN],
  ['sw', '1024'],
  ['sh', '768'],
  ['lg', 'en-US'],
  ['p', location.href],
  ['Ver', '2'],
  ['mid', MID],
]

const ORDER = {
  order_id: 'o-1',
  checkout_id: 'co-1',
  total: 59.9,
  revenue: 50,
  currency: 'EUR',
  products: [
    { product_id: 'p1', sku: 's1', name: 'Relay Tee', price: 24, quantity: 2 },
    { product_id: 'p2', name: 'Mug', price: 11.9, quantity: 1 },
  ],
}
const ORDER_FIELDS: Array<[string, string]> = [
  ['order_id', 'o-1'],
  ['checkout_id', 'co-1'],
  ['total', '59.9'],
  ['revenue', '50'],
  ['currency', 'EUR'],
]

describe('Microsoft UET (bing)', () => {
  test('a pageview is a no-cors GET to /action/0 with evt=pageLoad, the tag id and msclkid=N', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method ?? 'GET', base(r), r.mode, r.credentials]).toEqual(['GET', ENDPOINT, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([...uet('pageLoad'), ['msclkid', 'N']])
  })

  test('an event is evt=custom with the action’s fields first', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { ea: 'signup', ec: 'account', el: '{{ client.plan }}', ev: '12' } } } })
    await zaraz.track('Signup', { plan: 'pro' })
    expect(pairs(transport.requests[0])).toEqual([['ea', 'signup'], ['ec', 'account'], ['el', 'pro'], ['ev', '12'], ...uet('custom'), ['msclkid', 'N']])
  })

  test('a ti field sends to that tag, as in the official component', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { ti: '999' } } } })
    await zaraz.track('Signup')
    expect(new URL(transport.requests[0].url).searchParams.getAll('ti')).toEqual(['999'])
  })

  test('Order Completed: the order’s fields without products, then ec=ecommerce, gc, gv (revenue), ea=purchase, el (order id), ev', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Order Completed', ORDER)
    expect(transport.requests).toHaveLength(1)
    expect(pairs(transport.requests[0])).toEqual([
      ...ORDER_FIELDS,
      ...uet('custom'),
      ['ec', 'ecommerce'],
      ['gc', 'EUR'],
      ['gv', '50'],
      ['ea', 'purchase'],
      ['el', 'o-1'],
      ['ev', '50'],
      ['msclkid', 'N'],
    ])
  })

  test('Checkout Started is begin_checkout labelled with the checkout id', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Checkout Started', ORDER)
    const p = params(transport.requests[0])
    expect([p.ea, p.el, p.ev, p.gv, p.gc]).toEqual(['begin_checkout', 'co-1', '50', '50', 'EUR'])
  })

  test('Product Added is add_to_cart labelled with the product name, its price as value and revenue', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Product Added', { product_id: 'p1', sku: 's1', name: 'Relay Tee', price: 24, quantity: 2, currency: 'EUR' })
    expect(pairs(transport.requests[0]).slice(-7)).toEqual([
      ['ec', 'ecommerce'],
      ['gc', 'EUR'],
      ['gv', '24'],
      ['ea', 'add_to_cart'],
      ['el', 'Relay Tee'],
      ['ev', '24'],
      ['msclkid', 'N'],
    ])
  })

  test('Product Added with only a products list is labelled with their names', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Product Added', { products: ORDER.products, total: 35.9, currency: 'EUR' })
    const p = params(transport.requests[0])
    expect([p.ea, p.el, p.ev, p.gv]).toEqual(['add_to_cart', 'Relay Tee,Mug', '35.9', '35.9'])
  })

  test('Subscribe is subscribe; any other name is its own action, valued by revenue, total, value, then price', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Subscribe', { order_id: 's-9', value: 9.99, currency: 'USD' })
    await zaraz.ecommerce('Product Viewed', { product_id: 'p1', name: 'Relay Tee', price: 24 })
    const [a, b] = transport.requests.map(params)
    expect([a.ea, a.el, a.ev, a.gv, a.gc]).toEqual(['subscribe', 's-9', '9.99', '9.99', 'USD'])
    expect([b.ea, b.el, b.ev, b.gv]).toEqual(['Product Viewed', 'p1', '24', undefined])
  })

  test('msclkid: a new click is sent with -1 and kept three months; later pages send it with -N; the same click again with -0', async () => {
    history.replaceState({}, '', '/landing?msclkid=abc123')
    const a = run()
    await a.zaraz.track('Pageview')
    expect(params(a.transport.requests[0]).msclkid).toBe('abc123-1')
    expect(stored('msclkid')).toEqual({ v: 'abc123', e: T + THREE_MONTHS_MS })
    history.replaceState({}, '', '/next')
    const b = run()
    await b.zaraz.track('Pageview')
    expect(params(b.transport.requests[0]).msclkid).toBe('abc123-N')
    history.replaceState({}, '', '/landing?msclkid=abc123')
    const c = run()
    await c.zaraz.track('Pageview')
    expect(params(c.transport.requests[0]).msclkid).toBe('abc123-0')
  })

  test('with only the exported client_network_requests permission the URL’s click id is sent, and nothing kept', async () => {
    history.replaceState({}, '', '/landing?msclkid=abc123')
    const { zaraz, transport, console } = run({ permissions: ['client_network_requests'] })
    await zaraz.track('Pageview')
    expect(params(transport.requests[0]).msclkid).toBe('abc123-1')
    expect(stored('msclkid')).toBeNull()
    expect(console.count('warn')).toBe(0)
  })

  test('with Consent Mode ad_storage denied: asc=D, the kept click id neither read nor replaced (the URL’s is sent), no cookies', async () => {
    localStorage.setItem('tagrelay_kv_uet:msclkid', JSON.stringify({ v: 'old', e: 0 }))
    // The cookie that says tagrelay wrote to this site's storage before (else storage is not read).
    document.cookie = 'tagrelay_st=1; path=/'
    const denied = async () => {
      const t = createTestZaraz({ config: { tools: { uet: PLAIN } }, env: { random: () => 0.5 } })
      t.zaraz.set('google_consent_update', { ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' })
      await t.zaraz.spaPageview()
      await t.settle()
      return t.requests.find((x) => x.url.startsWith(ENDPOINT))!
    }
    const r = await denied()
    expect([params(r).msclkid, params(r).asc, r.credentials]).toEqual(['N', 'D', 'omit'])
    expect(r.url).not.toContain('google_consent')
    history.replaceState({}, '', '/landing?msclkid=new1')
    expect(params(await denied()).msclkid).toBe('new1-1')
    expect(stored('msclkid')).toEqual({ v: 'old', e: 0 })
  })

  test('with Consent Mode ad_storage granted: asc=G and the click id is kept as usual', async () => {
    history.replaceState({}, '', '/landing?msclkid=new1')
    const t = createTestZaraz({ config: { tools: { uet: PLAIN } }, env: { random: () => 0.5 } })
    t.zaraz.set('google_consent_update', { ad_storage: 'granted', analytics_storage: 'denied' })
    await t.zaraz.spaPageview()
    await t.settle()
    const r = t.requests.find((x) => x.url.startsWith(ENDPOINT))!
    expect([params(r).msclkid, params(r).asc, r.credentials]).toEqual(['new1-1', 'G', 'include'])
    expect(stored('msclkid')?.v).toBe('new1')
  })

  test('without consent for its purpose nothing is sent and no click id is kept', async () => {
    history.replaceState({}, '', '/landing?msclkid=abc123')
    const consent = { enabled: true, purposes: { ads: { name: 'Ads', description: '' } } }
    const { zaraz, transport } = setup({ consent, tools: { uet: { ...ENTRY, defaultPurpose: 'ads' } } })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(stored('msclkid')).toBeNull()
  })
})
