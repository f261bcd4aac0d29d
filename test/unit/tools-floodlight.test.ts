/**
 * Floodlight's exact requests, as Zaraz's component (managed-components/floodlight) sends them,
 * plus gtag.js's click ids and Consent Mode, with a fixed clock (1,700,000,000,000 ms) and a fixed
 * random source (0.5). Expected values are written out from the component's and gtag's facts.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest } from './run-built-in'

const S = 1_700_000_000
/** floor(0.5 × (1e13 - 1e11 + 1) + 1e11): the `ord` cache buster. */
const ORD = '5050000000000'

freshPageEachTest()

const floodlight = (tool: Record<string, unknown> = {}) =>
  setup(
    {
      tools: {
        fl: {
          type: 'component',
          component: 'floodlight',
          settings: { advertiserId: '8765432' },
          actions: {
            signup: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { groupTag: 'counter1', activityTag: 'signu0', u1: '{{ client.plan }}', timestamp: 'x' } },
          },
          ...tool,
        },
      },
    },
    { env: { random: () => 0.5 } },
  )

/** The `k=v` pairs of the activity URL, between `activity;` and the final `?`. */
const activity = (r: RecordedRequest) => {
  expect(r.url.startsWith('https://ad.doubleclick.net/activity;')).toBe(true)
  expect(r.url.endsWith('?')).toBe(true)
  return r.url.slice('https://ad.doubleclick.net/activity;'.length, -1).split(';')
}

describe('Floodlight', () => {
  test('an activity is a no-cors GET to ad.doubleclick.net/activity;src;type;cat;ord;<fields>?', async () => {
    const { zaraz, transport } = floodlight()
    await zaraz.track('Pageview', { plan: 'pro plan' })
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, r.mode, r.credentials]).toEqual(['GET', 'no-cors', 'include'])
    expect(activity(r)).toEqual(['src=8765432', 'type=counter1', 'cat=signu0', `ord=${ORD}`, 'u1=pro+plan'])
  })

  test('an event action sends the same activity', async () => {
    const { zaraz, transport } = floodlight({
      actions: { buy: { actionType: 'event', firingTriggers: ['AllTracks'], data: { groupTag: 'sales1', activityTag: 'purch0', qty: 1, cost: '{{ client.value }}' } } },
    })
    await zaraz.track('bought', { value: 42.5 })
    expect(activity(transport.requests[0])).toEqual(['src=8765432', 'type=sales1', 'cat=purch0', `ord=${ORD}`, 'qty=1', 'cost=42.5'])
  })

  test('gclid and dclid of the landing URL are kept as _gcl_aw / _gcl_dc and sent as gclaw / gcldc, on later pages too', async () => {
    history.replaceState({}, '', '/landing?gclid=Cj0KCQ&dclid=CJKu8L')
    const a = floodlight()
    await a.zaraz.track('Pageview')
    expect(activity(a.transport.requests[0]).slice(4)).toEqual(['gclaw=Cj0KCQ', 'gcldc=CJKu8L'])
    expect(document.cookie).toContain(`_gcl_aw=GCL.${S}.Cj0KCQ`)
    expect(document.cookie).toContain(`_gcl_dc=GCL.${S}.CJKu8L`)
    history.replaceState({}, '', '/next')
    const b = floodlight()
    await b.zaraz.track('Pageview')
    expect(activity(b.transport.requests[0]).slice(4)).toEqual(['gclaw=Cj0KCQ', 'gcldc=CJKu8L'])
  })

  test('Consent Mode: gcs is sent; with ad_storage denied no click id is kept or read and the hit carries no cookies', async () => {
    document.cookie = '_gcl_dc=GCL.1699999000.OldClick; path=/'
    history.replaceState({}, '', '/landing?gclid=NewClick')
    const { zaraz, transport } = floodlight()
    zaraz.set('google_consent_update', { ad_storage: 'denied', analytics_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'denied' })
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect(r.credentials).toBe('omit')
    expect(activity(r).slice(4)).toEqual(['gclaw=NewClick', 'gcs=G101'])
    expect(r.url).not.toContain('google_consent')
    expect(document.cookie).not.toContain('_gcl_aw')
    expect(document.cookie).toContain('_gcl_dc=GCL.1699999000.OldClick')
  })

  test('Consent Mode with ad_storage granted: the click id is kept, the hit carries cookies', async () => {
    history.replaceState({}, '', '/landing?dclid=NewClick')
    const { zaraz, transport } = floodlight()
    zaraz.set('google_consent_update', { ad_storage: 'granted', analytics_storage: 'denied', ad_user_data: 'granted', ad_personalization: 'granted' })
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect(r.credentials).toBe('include')
    expect(activity(r).slice(4)).toEqual(['gcldc=NewClick', 'gcs=G110'])
    expect(document.cookie).toContain(`_gcl_dc=GCL.${S}.NewClick`)
  })

  test("with Zaraz's exported permissions (no client storage) the landing URL's click id is still sent", async () => {
    history.replaceState({}, '', '/landing?gclid=Cj0KCQ')
    const { zaraz, transport } = floodlight({ permissions: ['client_network_requests'] })
    await zaraz.track('Pageview')
    expect(activity(transport.requests[0]).slice(4)).toEqual(['gclaw=Cj0KCQ'])
    expect(document.cookie).not.toContain('_gcl_aw')
  })

  test('without an advertiser id nothing is sent', async () => {
    const { zaraz, transport } = floodlight({ settings: {} })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })
})
