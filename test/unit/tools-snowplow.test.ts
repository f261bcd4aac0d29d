/**
 * Snowplow's exact requests, with a fixed clock (1,700,000,000,000 ms) and a fixed random source
 * (0.5, so every random UUID is 88888888-8888-4888-8888-888888888888). Expected values are written
 * out from the official component's documented facts (tp2 payload fields, the structured-event
 * mapping, its key names and `id` format) and Snowplow's tracker protocol.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest, headersOf, EXPORTED_ACTIONS } from './run-built-in'

const T = 1_700_000_000_000
const S = 1_700_000_000
const U = '88888888-8888-4888-8888-888888888888'
/** The official component's hash of `localhost/`, happy-dom's host. */
const HASH = '0xmv'
const ID_KEY = `tagrelay_kv_sp:sp1_id.${HASH}`
const SES_KEY = `tagrelay_kv_sp:sp1_ses.${HASH}`
/** base64 of the contexts JSON naming the page view id U (web_page 1-0-0). */
const CX =
  'eyJzY2hlbWEiOiJpZ2x1OmNvbS5zbm93cGxvd2FuYWx5dGljcy5zbm93cGxvdy9jb250ZXh0cy9qc29uc2NoZW1hLzEtMC0wIiwiZGF0YSI6W3sic2NoZW1hIjoiaWdsdTpjb20uc25vd3Bsb3dhbmFseXRpY3Muc25vd3Bsb3cvd2ViX3BhZ2UvanNvbnNjaGVtYS8xLTAtMCIsImRhdGEiOnsiaWQiOiI4ODg4ODg4OC04ODg4LTQ4ODgtODg4OC04ODg4ODg4ODg4ODgifX1dfQ=='

freshPageEachTest('Shop')

const kept = (key: string) => JSON.parse(localStorage.getItem(key) ?? 'null')?.v
const eventOf = (r: RecordedRequest) => JSON.parse(r.body!).data[0]

function run(extra: Record<string, unknown> = {}, zarazExtra: Record<string, unknown> = {}) {
  return setup(
    {
      settings: { ecommerce: true },
      tools: {
        sp: {
          type: 'component',
          component: 'snowplow',
          settings: { appId: 'shop', namespace: 'sp1', endpoint: 'https://collector.example', platform: 'web', ecommerce: true },
          actions: { ...EXPORTED_ACTIONS },
          ...extra,
        },
      },
      ...zarazExtra,
    },
    { env: { random: () => 0.5 } },
  )
}

/** What every event of a first visit carries, in the official component's order. */
const COMMON = (e: string) => ({
  e,
  duid: U,
  vid: '1',
  sid: U,
  cx: CX,
  url: location.href,
  refr: '',
  uid: '',
  page: 'Shop',
  eid: U,
  tv: 'zaraz-1.0.0',
  tna: 'sp1',
  aid: 'shop',
  p: 'web',
  cookie: '1',
  lang: 'en-US',
  dtm: String(T),
  stm: String(T),
  cs: 'UTF-8',
  res: '1024x768',
  vp: '1024x768',
})

describe('Snowplow', () => {
  test('a pageview is a JSON POST of a payload_data page view to the collector, with cookies', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect([r.method, r.url, headersOf(r), r.mode, r.credentials]).toEqual(['POST', 'https://collector.example/com.snowplowanalytics.snowplow/tp2', { 'content-type': 'application/json' }, undefined, 'include'])
    const body = JSON.parse(r.body!)
    expect(body).toEqual({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data: [COMMON('pv')] })
    expect(Object.keys(body.data[0])).toEqual(Object.keys(COMMON('pv')))
    // userId.created.visits.now.lastVisit.session.previousSession.firstEvent.firstEventTime.eventIndex
    expect(kept(ID_KEY)).toBe(`${U}.${S}.1.${S}..${U}..${U}.${T}.1`)
    expect(kept(SES_KEY)).toBe('*')
  })

  test('an event is a structured event (se) of category ecom: evt (else the event name), label, property, value', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { order_id: 'o-1', currency: 'EUR', value: 12 })
    await zaraz.track('Share', { evt: 'share_click', product_id: 'p-1', price: 3 })
    const [signup, share] = transport.requests.map(eventOf)
    expect(signup).toEqual({ ...COMMON('se'), se_ac: 'Signup', se_ca: 'ecom', se_la: 'o-1', se_pr: 'EUR', se_va: '12' })
    expect([share.se_ac, share.se_la, share.se_va, share.se_pr]).toEqual(['share_click', 'p-1', '3', undefined])
  })

  test('an e-commerce event is a structured event named after it, labelled with the order id, valued value > price > total > revenue', async () => {
    const { zaraz, transport } = run()
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1', checkout_id: 'c-1', total: 59.9, revenue: 50, currency: 'EUR' })
    await zaraz.ecommerce('Checkout Started', { checkout_id: 'c-1', revenue: 50, customerEmail: 'a@b.example' })
    const [order, checkout] = transport.requests.map(eventOf)
    expect(order).toEqual({ ...COMMON('se'), se_ac: 'Order Completed', se_ca: 'ecom', se_la: 'o-1', se_pr: 'EUR', se_va: '59.9' })
    // customerEmail is the page's user id (uid) once it is given.
    expect([checkout.se_ac, checkout.se_la, checkout.se_va, checkout.uid]).toEqual(['Checkout Started', 'c-1', '50', 'a@b.example'])
  })

  test('the visitor is kept across pages; the session too while its key lives (30 minutes); then a new visit starts', async () => {
    const a = run()
    await a.zaraz.track('Pageview')
    const b = run()
    b.clock.advance(60_000)
    await b.zaraz.track('Pageview')
    const second = eventOf(b.transport.requests[0])
    expect([second.duid, second.vid, second.sid]).toEqual([U, '1', U])
    expect(kept(ID_KEY)).toBe(`${U}.${S}.1.${S + 60}..${U}..${U}.${T + 60_000}.2`)
    // 31 minutes later the session key has expired: visit 2, a new session, the last visit time kept.
    const c = run()
    c.clock.advance(60_000 + 31 * 60_000)
    await c.zaraz.track('Pageview')
    const third = eventOf(c.transport.requests[0])
    expect([third.duid, third.vid]).toEqual([U, '2'])
    const later = T + 32 * 60_000
    expect(kept(ID_KEY)).toBe(`${U}.${S}.2.${later / 1000}.${S + 60}.${U}.${U}.${U}.${later}.1`)
  })

  test('an endpoint without a scheme is https', async () => {
    const { zaraz, transport } = run({ settings: { appId: 'shop', namespace: 'sp1', endpoint: 'collector.example/' } })
    await zaraz.track('Pageview')
    expect(transport.requests[0].url).toBe('https://collector.example/com.snowplowanalytics.snowplow/tp2')
  })

  test('without consent for its purpose no id is stored and nothing is sent', async () => {
    const { zaraz, transport } = run({ defaultPurpose: 'an' }, { consent: { enabled: true, purposes: { an: { name: 'Analytics', description: 'stats' } } } })
    zaraz.consent.set({ an: false })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(localStorage.getItem(ID_KEY)).toBeNull()
  })
})
