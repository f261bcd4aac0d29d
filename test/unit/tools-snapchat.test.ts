/**
 * Snap Pixel's exact requests, as Zaraz's component (managed-components/snapchat) sends them, with
 * a fixed clock (1,700,000,000,000 ms) and a fixed random source (0.5). Expected values are written
 * out from the component's facts.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
/** uuid() with every random draw 0.5. */
const UUID = '88888888-8888-4888-8888-888888888888'
const PID = '4a8c1d2e-0000-4000-8000-5a7c3e9f1b2d'

freshPageEachTest()

const form = (r: RecordedRequest) => [...new URLSearchParams(r.body)]

const snap = (tool: Record<string, unknown> = {}, random = () => 0.5) =>
  setup(
    {
      tools: {
        sc: {
          type: 'component',
          component: 'snapchat',
          permissions: ['access_client_kv', 'client_network_requests'],
          settings: { pid: PID },
          actions: {
            pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} },
            su: { actionType: 'event', firingTriggers: ['AllTracks'], data: { ev: 'SIGN_UP' } },
          },
          ...tool,
        },
      },
    },
    { env: { random } },
  )

/**
 * The form body for `ev`. Load timings with random 0.5: m_sl = 2000 + floor(0.5 × 1000) = 2500,
 * m_rd = 2000 + floor(0.5 × 500) = 2250, m_pi = 1250 + floor(0.5 × 1000) = 1750, m_pl = 1750 + 1 + floor(0.5 × 99) = 1800.
 */
const body = (ev: string, uc1 = UUID): Array<[string, string]> => [
  ['v', '1.5'],
  ['if', 'false'],
  ['ts', String(T)],
  ['rf', ''],
  ['pl', location.href],
  ['bt', '__LIVE__'],
  ['ev', ev],
  ['m_sl', '2500'],
  ['m_rd', '2250'],
  ['m_pi', '1750'],
  ['m_pl', '1800'],
  ['m_ic', '0'],
  ['pid', PID],
  ['u_c1', uc1],
]

describe('Snap Pixel', () => {
  test('a pageview is a no-cors GET to /cm/i with the pixel id and a no-cors form POST of PAGE_VIEW to /p', async () => {
    const { zaraz, transport } = snap()
    await zaraz.track('Pageview')
    expect(transport.requests.map((r) => [r.method, r.url, r.mode, r.credentials])).toEqual([
      ['GET', `https://tr.snapchat.com/cm/i?pid=${PID}`, 'no-cors', 'include'],
      ['POST', 'https://tr.snapchat.com/p', 'no-cors', 'include'],
    ])
    const post = transport.requests[1]
    expect(Object.entries(post.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])).toEqual([['content-type', 'application/x-www-form-urlencoded']])
    expect(form(post)).toEqual(body('PAGE_VIEW'))
  })

  test('an event sends its ev field; without one nothing is sent', async () => {
    const { zaraz, transport } = snap()
    await zaraz.track('Signup')
    expect(form(transport.requests[1])).toEqual(body('SIGN_UP'))
    const other = snap({ actions: { su: { actionType: 'event', firingTriggers: ['AllTracks'], data: {} } } })
    await other.zaraz.track('Signup')
    expect(other.transport.requests).toEqual([])
  })

  test('a pid field overrides the pixel id of the event POST', async () => {
    const { zaraz, transport } = snap({ actions: { su: { actionType: 'event', firingTriggers: ['AllTracks'], data: { ev: 'PURCHASE', pid: 'other-pixel' } } } })
    await zaraz.track('Order')
    expect(transport.requests[0].url).toBe(`https://tr.snapchat.com/cm/i?pid=${PID}`)
    expect(Object.fromEntries(form(transport.requests[1])).pid).toBe('other-pixel')
  })

  test('the browser id u_c1 is made once and kept across page views, 13 months', async () => {
    const a = snap()
    await a.zaraz.track('Pageview')
    const stored = Object.keys(localStorage).find((k) => k.endsWith(':scid'))!
    expect(JSON.parse(localStorage.getItem(stored)!)).toEqual({ v: UUID, e: T + 395 * 24 * 3600 * 1000 })
    const b = snap({}, () => 0.25)
    await b.zaraz.track('Pageview')
    expect(Object.fromEntries(form(b.transport.requests[1])).u_c1).toBe(UUID)
  })

  test('without a pixel id nothing is sent', async () => {
    const { zaraz, transport } = snap({ settings: {} })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })
})
