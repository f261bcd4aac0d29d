/**
 * The X (Twitter) pixel's exact requests, as Zaraz's component (managed-components/twitter) sends
 * them, with a fixed clock (1,700,000,000,000 ms) and a fixed random source (0.5). Expected values
 * are written out from the component's facts (uwt.js 2.3.29's parameters).
 */
import { describe, expect, test } from 'vitest'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
/** uuid() with every random draw 0.5: each x is 8, the y nibble (8 | 8 & 3) is 8. */
const UUID = '88888888-8888-4888-8888-888888888888'
const ENDPOINTS = ['https://analytics.twitter.com/i/adsct', 'https://t.co/i/adsct']

freshPageEachTest()

const x = (tool: Record<string, unknown> = {}) =>
  setup(
    {
      tools: {
        tw: {
          type: 'component',
          component: 'twitter',
          settings: {},
          defaultFields: { txn_id: 'o1abc' },
          actions: {
            pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} },
            cv: { actionType: 'conversion', firingTriggers: ['AllTracks'], data: { txn_id: 'o1xyz', tw_sale_amount: '{{ client.value }}', tw_order_quantity: 2, email_address: '{{ client.email }}' } },
          },
          ...tool,
        },
      },
    },
    { env: { random: () => 0.5 } },
  )

/** uwt.js's standard parameters, in order. */
const standard = (sale: string, quantity: string): Array<[string, string]> => [
  ['type', 'javascript'],
  ['version', '2.3.29'],
  ['p_id', 'Twitter'],
  ['p_user_id', '0'],
  ['tw_sale_amount', sale],
  ['tw_order_quantity', quantity],
  ['tw_iframe_status', '0'],
  ['tpx_cb', 'twttr.conversion.loadPixels'],
  ['tw_document_href', location.href],
]

describe('X (Twitter) pixel', () => {
  test('a pageview is a no-cors GET to both adsct endpoints with the pixel id, the pageview event and an event id', async () => {
    const { zaraz, transport } = x()
    await zaraz.track('Pageview')
    expect(transport.requests.map((r) => [r.method, base(r), r.mode, r.credentials])).toEqual(ENDPOINTS.map((e) => ['GET', e, 'no-cors', 'include']))
    for (const r of transport.requests)
      expect(pairs(r)).toEqual([...standard('0', '0'), ['txn_id', 'o1abc'], ['events', '[["pageview", null]]'], ['event_id', UUID]])
  })

  test('a conversion action sends its fields in place, the hashed email, and no events parameter', async () => {
    const { zaraz, transport } = x()
    await zaraz.track('Purchase', { value: 42.5, email: ' Jane@Example.com ' })
    expect(transport.requests.map(base)).toEqual(ENDPOINTS)
    for (const r of transport.requests)
      expect(pairs(r)).toEqual([
        ...standard('42.5', '2'),
        ['txn_id', 'o1xyz'],
        ['email_address', '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d'],
      ])
  })

  test('the phone number is hashed too, and an event_id field is the pageview event id', async () => {
    const { zaraz, transport } = x({ actions: { pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { phone_number: '+15551234567', event_id: 'ev-1' } } } })
    await zaraz.track('Pageview')
    const p = Object.fromEntries(pairs(transport.requests[0]))
    expect([p.phone_number, p.event_id]).toEqual(['8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4', 'ev-1'])
  })

  test('twclid of the landing URL is sent with clid_src=1 and kept one month in _twclid; later pages send it with clid_src=2', async () => {
    history.replaceState({}, '', '/landing?twclid=2-abc')
    const a = x()
    await a.zaraz.track('Pageview')
    expect(pairs(a.transport.requests[0]).slice(-2)).toEqual([
      ['clid_src', '1'],
      ['twclid', '2-abc'],
    ])
    const stored = Object.keys(localStorage).find((k) => k.endsWith(':_twclid'))!
    const { v, e } = JSON.parse(localStorage.getItem(stored)!)
    expect(JSON.parse(decodeURIComponent(v))).toEqual({ pixelVersion: '2.3.29', timestamp: T, twclid: '2-abc', source: 1 })
    expect(e).toBe(T + 2628000000)
    history.replaceState({}, '', '/next')
    const b = x()
    await b.zaraz.track('Pageview')
    expect(pairs(b.transport.requests[1]).slice(-2)).toEqual([
      ['clid_src', '2'],
      ['twclid', '2-abc'],
    ])
  })

  test("with Zaraz's exported permissions (no client storage) the landing URL's twclid is still sent", async () => {
    history.replaceState({}, '', '/landing?twclid=2-abc')
    const { zaraz, transport } = x({ permissions: ['client_network_requests', 'server_network_requests'] })
    await zaraz.track('Pageview')
    expect(pairs(transport.requests[0]).slice(-2)).toEqual([
      ['clid_src', '1'],
      ['twclid', '2-abc'],
    ])
    expect(Object.keys(localStorage).some((k) => k.endsWith(':_twclid'))).toBe(false)
  })

  test('without a pixel id nothing is sent; a txn_id setting serves as the default', async () => {
    const a = x({ defaultFields: {} })
    await a.zaraz.track('Pageview')
    expect(a.transport.requests).toEqual([])
    const b = x({ defaultFields: {}, settings: { txn_id: 'o1set' } })
    await b.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(b.transport.requests[0])).txn_id).toBe('o1set')
  })
})
