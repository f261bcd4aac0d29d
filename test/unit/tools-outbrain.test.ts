/**
 * Outbrain's exact requests, as Zaraz's component (managed-components/outbrain) sends them, with a
 * fixed clock (1,700,000,000,000 ms = 2023-11-14T22:13:20Z) and a fixed random source (0.5).
 * Expected values are written out from the component's facts.
 */
import { describe, expect, test } from 'vitest'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const PIXEL = 'https://tr.outbrain.com/unifiedPixel'

freshPageEachTest()

const outbrain = (tool: Record<string, unknown> = {}) =>
  setup(
    {
      tools: {
        ob: {
          type: 'component',
          component: 'outbrain',
          permissions: ['access_client_kv', 'server_network_requests'],
          settings: {},
          defaultFields: { marketerId: '00a1b2c3d4' },
          actions: {
            pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { event: 'Page View', name: 'PAGE_VIEW' } },
            buy: { actionType: 'event', firingTriggers: ['AllTracks'], data: { event: 'Event', name: 'Checkout Done', orderId: '{{ client.id }}', orderValue: '{{ client.value }}', currency: 'EUR' } },
          },
          ...tool,
        },
      },
    },
    { env: { random: () => 0.5 } },
  )

/** What follows the fields on every hit (bust: the digits of 0.5). */
const tail = (clickId?: string): Array<[string, string]> => [
  ['apiVersion', '1.1'],
  ['obtpVersion', '1.4.1'],
  ['optOut', 'false'],
  ['bust', '05'],
  ['dl', location.href],
  ['timestamp', '2023-11-14T22:13:20'],
  ...(clickId ? [['ob_click_id', clickId] as [string, string]] : []),
]

describe('Outbrain', () => {
  test('a pageview is a no-cors GET to unifiedPixel with the fields, then the pixel parameters', async () => {
    const { zaraz, transport } = outbrain()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, base(r), r.mode]).toEqual(['GET', PIXEL, 'no-cors'])
    expect(pairs(r)).toEqual([['marketerId', '00a1b2c3d4'], ['event', 'Page View'], ['name', 'PAGE_VIEW'], ...tail()])
  })

  test('an event sends its name with dashes for spaces, the order id, value and currency', async () => {
    const { zaraz, transport } = outbrain()
    await zaraz.track('bought', { id: 'o-7', value: 42.5 })
    expect(pairs(transport.requests[0])).toEqual([
      ['marketerId', '00a1b2c3d4'],
      ['event', 'Event'],
      ['name', 'Checkout-Done'],
      ['orderId', 'o-7'],
      ['orderValue', '42.5'],
      ['currency', 'EUR'],
      ...tail(),
    ])
  })

  test('without a name field: PAGE_VIEW for pageviews, the event name for events', async () => {
    const { zaraz, transport } = outbrain({ automatedActions: { pageview: true, track: true }, actions: {} })
    await zaraz.track('Pageview')
    await zaraz.track('Sign up')
    expect(transport.requests.map((r) => new URL(r.url).searchParams.get('name'))).toEqual(['PAGE_VIEW', 'Sign-up'])
  })

  test('the landing URL click id OutbrainClickId (or dicbo) is sent as ob_click_id and kept for the session', async () => {
    history.replaceState({}, '', '/landing?OutbrainClickId=ob-123')
    const a = outbrain()
    await a.zaraz.track('Pageview')
    expect(pairs(a.transport.requests[0]).slice(3)).toEqual(tail('ob-123'))
    expect(Object.keys(sessionStorage).some((k) => k.endsWith(':ob_click_id'))).toBe(true)
    expect(Object.keys(localStorage).some((k) => k.endsWith(':ob_click_id'))).toBe(false)
    history.replaceState({}, '', '/next')
    const b = outbrain()
    await b.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(b.transport.requests[0])).ob_click_id).toBe('ob-123')
    sessionStorage.clear()
    history.replaceState({}, '', '/old?dicbo=v1-abc')
    const c = outbrain()
    await c.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(c.transport.requests[0])).ob_click_id).toBe('v1-abc')
  })

  test('a clickId field is sent as it is and as ob_click_id', async () => {
    const { zaraz, transport } = outbrain({ actions: { pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { name: 'PAGE_VIEW', clickId: 'field-1' } } } })
    await zaraz.track('Pageview')
    const p = Object.fromEntries(pairs(transport.requests[0]))
    expect([p.clickId, p.ob_click_id]).toEqual(['field-1', 'field-1'])
  })

  test("Zaraz's exported permission server_network_requests covers the hit", async () => {
    const { zaraz, transport } = outbrain({ permissions: ['server_network_requests'] })
    await zaraz.track('Pageview')
    expect(transport.requests.map(base)).toEqual([PIXEL])
  })

  test('without a marketer id nothing is sent; a marketerId setting serves as the default', async () => {
    const a = outbrain({ defaultFields: {} })
    await a.zaraz.track('Pageview')
    expect(a.transport.requests).toEqual([])
    const b = outbrain({ defaultFields: {}, settings: { marketerId: '00zz' } })
    await b.zaraz.track('Pageview')
    expect(pairs(b.transport.requests[0])[0]).toEqual(['marketerId', '00zz'])
  })
})
