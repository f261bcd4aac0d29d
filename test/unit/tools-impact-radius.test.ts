/** Impact (`impact-radius`): identify and conversion requests, the kept visitor uuid and session, as Zaraz's component sends them. */
import { beforeEach, describe, expect, test } from 'vitest'
import { resetPage } from './helpers'
import { T, how, pairs, runBuiltIn } from './run-built-in'

/** The UUID the fixed random source (0.5) gives. */
const PI = '88888888-8888-4888-8888-888888888888'
/** A new session's id: the event time shifted by the time zone (UTC on CI: no shift), as Zaraz's component computes it. */
const NEW_SESSION = String(T - new Date(T).getTimezoneOffset() * 60 * 1000)
const SETTINGS = { accountId: 'ir-acc-1', td: 'https://shop.sjv.example', id: '6789', iw: '30' }
const actions = {
  id: { actionType: 'identify', firingTriggers: ['AllTracks'], data: {} },
  cv: { actionType: 'event', firingTriggers: ['AllTracks'], data: { eventId: '12345' } },
}
const run = (tool: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, random?: () => number) =>
  runBuiltIn('impact-radius', () => import('../../src/tools/impact-radius'), { settings: SETTINGS, permissions: ['access_client_kv', 'client_network_requests'], actions, ...tool }, extra, random)
const only = (type: string) => ({ [type]: actions[type as keyof typeof actions] })

beforeEach(resetPage)

describe('Impact Radius', () => {
  test('an event action with eventId is a POST to <td>/xconv/<eventId>/<campaign> with custid, oid and _ir in the query, no body, the visitor cookies', async () => {
    const { zaraz, transport } = run({ actions: only('cv') })
    await zaraz.track('Purchase')
    const [r] = transport.requests
    expect(how(r)).toEqual(['POST', 'https://shop.sjv.example/xconv/12345/6789', 'no-cors', 'include'])
    expect([r.body, r.headers]).toEqual([undefined, { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' }])
    expect(pairs(r)).toEqual([
      ['custid', ''],
      ['oid', ''],
      ['_ir', `U25%7C${PI}%7C${NEW_SESSION}`],
    ])
    // Encoded twice on the wire, as Zaraz's component sends it.
    expect(r.url).toContain(`&_ir=U25%257C${PI}%257C${NEW_SESSION}`)
  })

  test('an identify action is a POST to <td>/cur/<campaign> without cookies', async () => {
    const { zaraz, transport } = run({ actions: only('id') })
    await zaraz.track('Login')
    const [r] = transport.requests
    expect(how(r)).toEqual(['POST', 'https://shop.sjv.example/cur/6789', 'no-cors', 'same-origin'])
    expect(pairs(r)).toEqual([
      ['custid', ''],
      ['oid', ''],
      ['_ir', `U25%7C${PI}%7C${NEW_SESSION}`],
    ])
  })

  test('an event named identify has no oid, as in Zaraz\'s component', async () => {
    const { zaraz, transport } = run({ actions: only('id') })
    await zaraz.track('identify')
    expect(pairs(transport.requests[0]).map(([k]) => k)).toEqual(['custid', '_ir'])
  })

  test("settings Impact names are sent under Impact's parameter names, in the settings' order; empty ones are not", async () => {
    const settings = { ...SETTINGS, orderId: 'o 1', currencyCode: 'EUR', customerEmail: 'a@b.example', note: '', OrderPromoCode: 'SUMMER', ecommerce: true }
    const { zaraz, transport } = run({ settings, actions: only('cv') })
    await zaraz.track('Purchase')
    expect(pairs(transport.requests[0])).toEqual([
      ['custid', ''],
      ['oid', 'o%201'],
      ['currcd', 'EUR'],
      ['custemail', 'a%40b.example'],
      ['pmoc', 'SUMMER'],
      ['_ir', `U25%7C${PI}%7C${NEW_SESSION}`],
    ])
  })

  test('the visitor uuid (PI) and the session start are kept across page views', async () => {
    const a = run({ actions: only('cv') })
    await a.zaraz.track('Purchase')
    // Another random source and a later time on the next page: only kept values can be the same.
    const b = run({ actions: only('cv') }, {}, () => 0.25)
    b.clock.advance(10 * 60 * 1000)
    await b.zaraz.track('Purchase')
    expect(new URL(b.transport.requests[0].url).searchParams.get('_ir')).toBe(`U25%7C${PI}%7C${T}`)
  })

  test('after the inactivity window (iw minutes) a new session starts; the uuid stays', async () => {
    const a = run({ actions: only('cv') })
    await a.zaraz.track('Purchase')
    const b = run({ actions: only('cv') }, {}, () => 0.25)
    b.clock.advance(31 * 60 * 1000)
    await b.zaraz.track('Purchase')
    const later = T + 31 * 60 * 1000
    expect(new URL(b.transport.requests[0].url).searchParams.get('_ir')).toBe(`U25%7C${PI}%7C${later - new Date(later).getTimezoneOffset() * 60 * 1000}`)
  })

  test('an event action without eventId, pageviews and e-commerce send nothing', async () => {
    const { zaraz, transport } = run({ actions: undefined, settings: { ...SETTINGS, ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true } })
    await zaraz.track('Pageview')
    await zaraz.track('Purchase')
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1' })
    expect(transport.requests).toEqual([])
  })

  test('a tracking domain without a scheme is https; a trailing slash is dropped; without one nothing is sent', async () => {
    const a = run({ settings: { ...SETTINGS, td: 'shop.sjv.example/' }, actions: only('cv') })
    await a.zaraz.track('Purchase')
    expect(a.transport.requests[0].url.split('?')[0]).toBe('https://shop.sjv.example/xconv/12345/6789')
    const b = run({ settings: { ...SETTINGS, td: '' } })
    await b.zaraz.track('Purchase')
    expect(b.transport.requests).toEqual([])
  })

  test('with the purpose of the tool refused, nothing is stored and nothing is sent', async () => {
    document.cookie = 'zaraz-consent=' + encodeURIComponent(JSON.stringify({ ads: false })) + '; path=/'
    const { zaraz, transport } = run({ defaultPurpose: 'ads' }, { consent: { enabled: true, purposes: { ads: { name: 'Ads', description: 'Ads' } }, hideModal: true } })
    await zaraz.track('Purchase')
    expect(transport.requests).toEqual([])
    expect(JSON.stringify({ ...localStorage })).not.toContain(PI)
  })
})
