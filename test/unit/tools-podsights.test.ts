/**
 * Podsights (`podsights`): the exact requests, with a fixed clock (1,700,000,000,000 ms) and a
 * fixed random source (0.5). Expected values are written out from the official component's facts
 * (docs/tools/podsights.md), not computed with the tool's code.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest } from './run-built-in'

const S = 1_700_000_000
const ENDPOINT = 'https://us-central1-adaptive-growth.cloudfunctions.net/pdst-events-prod-sink'
/** A UUID whose every random digit is 8 (random source 0.5). */
const UUID = '88888888-8888-4888-8888-888888888888'

freshPageEachTest()

const stored = (s: Storage, key: string) => JSON.parse(s.getItem(`tagrelay_kv_pd:${key}`) || 'null')
type Batch = { pid: string; key: string; time: number; events: Array<{ action: string; time: number; group: null; body: Record<string, unknown> }>; uid: string; sid: string }
const batch = (r: RecordedRequest) => (r.json as Batch[])[0]

function run(extra: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const tool = { type: 'component', component: 'podsights', permissions: ['access_client_kv', 'client_network_requests'], settings: { key: 'pk_e2e42' }, automatedActions: { pageview: true, track: true }, ...extra }
  return setup({ tools: { pd: tool }, ...config }, { env: { random: () => 0.5 } })
}

/** The page as each event's body describes it. */
const page = (params = { source: null, placement: null, from: null }) => ({
  url: location.href,
  referrer: '',
  inIframe: false,
  windowWidth: window.innerWidth,
  windowHeight: window.innerHeight,
  timezoneOffset: new Date().getTimezoneOffset(),
  params,
})

describe('Podsights', () => {
  test('a pageview is a JSON POST (cors) of one batch: an init event with the page, new visitor and session ids', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, r.url, r.mode]).toEqual(['POST', ENDPOINT, 'cors'])
    expect(r.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' })
    expect(r.json).toEqual([
      {
        pid: UUID,
        key: 'pk_e2e42',
        time: S + 1,
        events: [{ action: 'init', time: S, group: null, body: page() }],
        uid: UUID,
        sid: UUID,
      },
    ])
    expect(stored(localStorage, 'pdst')).toEqual({ v: UUID, e: 0 })
    expect(stored(sessionStorage, 'pdstSession')).toEqual({ v: UUID, e: 0 })
  })

  test('an event’s PDST_name names the action; its other fields join the body', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { buy: { actionType: 'event', firingTriggers: ['AllTracks'], data: { PDST_name: 'purchase', value: '{{ client.value }}', order_id: 'o-1' } } } })
    await zaraz.track('order', { value: 59.9 })
    expect(batch(transport.requests[0]).events).toEqual([{ action: 'purchase', time: S, group: null, body: { ...page(), value: 59.9, order_id: 'o-1' } }])
  })

  test('source, placement and from in the URL are the params', async () => {
    history.replaceState({}, '', '/ep?source=podcast&placement=mid&from=spotify')
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(batch(transport.requests[0]).events[0].body.params).toEqual({ source: 'podcast', placement: 'mid', from: 'spotify' })
  })

  test('the visitor and session ids are kept across page views', async () => {
    localStorage.setItem('tagrelay_kv_pd:pdst', JSON.stringify({ v: 'visitor-1', e: 0 }))
    sessionStorage.setItem('tagrelay_kv_pd:pdstSession', JSON.stringify({ v: 'session-1', e: 0 }))
    // The cookie that says tagrelay wrote to this site's storage before (else storage is not read).
    document.cookie = 'tagrelay_st=1; path=/'
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    const b = batch(transport.requests[0])
    expect([b.uid, b.sid, b.pid]).toEqual(['visitor-1', 'session-1', UUID])
  })

  test('without consent for its purpose nothing is sent and no id is kept', async () => {
    const consent = { enabled: true, purposes: { ana: { name: 'Analytics', description: '' } } }
    const { zaraz, transport } = run({ defaultPurpose: 'ana' }, { consent })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(stored(localStorage, 'pdst')).toBeNull()
  })
})
