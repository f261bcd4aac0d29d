/** Tatari (`tatari`): the pixel for pageview, identify and track actions, as Zaraz's component sends it. */
import { describe, expect, test } from 'vitest'
import UAParser from 'ua-parser-js'
import type { RecordedRequest } from '../../src/testing/index'
import { T, how, runBuiltIn, freshPageEachTest } from './run-built-in'

const PIXEL = 'https://d1lu3pmaz2ilpx.cloudfront.net/5a28e627'
/** The UUID the fixed random source (0.5) gives. */
const SESSION = '88888888-8888-4888-8888-888888888888'
const actions = {
  pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} },
  id: { actionType: 'identify', firingTriggers: ['AllTracks'], data: { identify: '{{ client.email }}' } },
  tr: { actionType: 'track', firingTriggers: ['AllTracks'], data: { TATARI_name: '{{ client.__zarazTrack }}', __includeEventProperties: true } },
}
const run = (tool: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  runBuiltIn('tatari', () => import('../../src/tools/tatari'), { settings: { key: 'tt-key-1' }, permissions: ['client_network_requests', 'access_client_kv'], actions, ...tool }, extra)

/** The query inside the base64 `data` parameter, in order. */
const data = (r: RecordedRequest) => [...new URLSearchParams(atob(new URL(r.url).searchParams.get('data')!))]
const OS = () => new UAParser(navigator.userAgent).getOS().name!

freshPageEachTest()

describe('Tatari', () => {
  test('a pageview is a no-cors GET with data (base64) and date (the event time), carrying the vendor cookies', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect(how(r)).toEqual(['GET', PIXEL, 'no-cors', 'include'])
    expect([...new URL(r.url).searchParams.keys()]).toEqual(['data', 'date'])
    expect(new URL(r.url).searchParams.get('date')).toBe(String(T))
    expect(data(r)).toEqual([
      ['version', '1.2.9'],
      ['cookieSupport', 'PERSIST'],
      ['token', 'tt-key-1'],
      ['sessionId', SESSION],
      ['event', 'pageview'],
      ['$os', OS()],
      ['$currentUrl', location.href],
      ['$referrer', ''],
    ])
  })

  test('an identify action sends event=identify and the identify field as userId; a track action its fields as arg (JSON)', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { email: 'a@b.example', plan: 'pro', value: 12 })
    const byEvent = Object.fromEntries(transport.requests.map((r) => [new URLSearchParams(data(r)).get('event'), data(r)]))
    expect(byEvent.identify).toEqual([
      ['version', '1.2.9'],
      ['cookieSupport', 'PERSIST'],
      ['token', 'tt-key-1'],
      ['sessionId', SESSION],
      ['event', 'identify'],
      ['$os', OS()],
      ['$currentUrl', location.href],
      ['$referrer', ''],
      ['userId', 'a@b.example'],
    ])
    expect(byEvent.Signup).toEqual([
      ['version', '1.2.9'],
      ['cookieSupport', 'PERSIST'],
      ['token', 'tt-key-1'],
      ['sessionId', SESSION],
      ['event', 'Signup'],
      ['$os', OS()],
      ['$currentUrl', location.href],
      ['$referrer', ''],
      ['arg', '{"email":"a@b.example","plan":"pro","value":12}'],
    ])
  })

  test('a track action without TATARI_name is event=track; TATARI_identify is the userId and not in arg', async () => {
    const { zaraz, transport } = run({ actions: { tr: { actionType: 'track', firingTriggers: ['AllTracks'], data: { TATARI_identify: 'u-7', timestamp: '1', plan: 'pro' } } } })
    await zaraz.track('Signup')
    expect(data(transport.requests[0]).filter(([k]) => ['event', 'userId', 'arg'].includes(k))).toEqual([
      ['event', 'track'],
      ['userId', 'u-7'],
      ['arg', '{"plan":"pro"}'],
    ])
  })

  test('the session id is kept across page views; the first comes from tatari_session_id in the landing URL', async () => {
    history.replaceState({}, '', '/tv?tatari_session_id=tv-sess-5')
    const a = run()
    await a.zaraz.track('Pageview')
    history.replaceState({}, '', '/next?tatari_session_id=other')
    const b = run()
    await b.zaraz.track('Pageview')
    expect([...a.transport.requests, ...b.transport.requests].map((r) => new URLSearchParams(data(r)).get('sessionId'))).toEqual(['tv-sess-5', 'tv-sess-5'])
  })

  test('a random session id is kept across page views too', async () => {
    const a = run()
    await a.zaraz.track('Pageview')
    // Another random source on the next page: only a kept id can be the same.
    const b = runBuiltIn('tatari', () => import('../../src/tools/tatari'), { settings: { key: 'tt-key-1' }, actions }, {}, () => 0.25)
    await b.zaraz.track('Pageview')
    expect(new URLSearchParams(data(b.transport.requests[0])).get('sessionId')).toBe(SESSION)
  })

  test('events of the automated event action and e-commerce calls send nothing (Zaraz has pageview, identify and track actions)', async () => {
    const { zaraz, transport } = run({ actions: undefined, settings: { key: 'tt-key-1', ecommerce: true }, automatedActions: { track: true, ecommerce: true } })
    await zaraz.track('Signup')
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1' })
    expect(transport.requests).toEqual([])
  })

  test('without the account key nothing is sent', async () => {
    const { zaraz, transport } = run({ settings: {} })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })

  test('with the purpose of the tool refused, no session id is stored and nothing is sent', async () => {
    document.cookie = 'zaraz-consent=' + encodeURIComponent(JSON.stringify({ ads: false })) + '; path=/'
    const { zaraz, transport } = run({ defaultPurpose: 'ads' }, { consent: { enabled: true, purposes: { ads: { name: 'Ads', description: 'Ads' } }, hideModal: true } })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(JSON.stringify({ ...localStorage })).not.toContain(SESSION)
  })
})
