/**
 * Reddit Pixel (`reddit`): the exact requests, with a fixed clock (1,700,000,000,000 ms) and a fixed
 * random source (0.5). Expected values are written out from the official component's facts
 * (docs/tools/reddit.md), not computed with the tool's code.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
const ENDPOINT = 'https://alb.reddit.com/rp.gif'
/** A UUID whose every random digit is 8 (random source 0.5). */
const UUID = '88888888-8888-4888-8888-888888888888'

freshPageEachTest()

const params = (r: RecordedRequest) => Object.fromEntries(pairs(r))
const stored = (key: string) => JSON.parse(localStorage.getItem(`tagrelay_kv_rdt:${key}`) || 'null')

const PURCHASE = { actionType: 'Purchase', firingTriggers: ['AllTracks'], data: { 'm.value': '{{ client.value }}', 'm.currency': 'EUR', 'm.transactionId': '{{ client.order }}' } }
function run(extra: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const tool = { type: 'component', component: 'reddit', permissions: ['client_network_requests', 'access_client_kv'], settings: { id: 'a2_test42' }, automatedActions: { pageview: true }, ...extra }
  return setup({ tools: { rdt: tool }, ...config }, { env: { random: () => 0.5 } })
}

/** What every hit ends with, after the event name, its fields and the ids. */
const TAIL: Array<[string, string]> = [
  ['integration', 'reddit'],
  ['opt_out', '0'],
  ['v', 'rdt_65e23bc4'],
  ['sh', '768'],
  ['sw', '1024'],
]

describe('Reddit Pixel', () => {
  test('a pageview is a no-cors GET to rp.gif: PageVisit, the pixel id, the time, a new uuid, kept as reddit_uuid', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method ?? 'GET', base(r), r.mode, r.credentials]).toEqual(['GET', ENDPOINT, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([['event', 'PageVisit'], ['id', 'a2_test42'], ['ts', String(T)], ['uuid', UUID], ...TAIL])
    expect(stored('reddit_uuid')).toEqual({ v: `${T}.${UUID}`, e: 0 })
  })

  test('a Purchase action is the Purchase event with its m.* fields first', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { buy: PURCHASE } })
    await zaraz.track('order', { value: 59.9, order: 'o-1' })
    expect(pairs(transport.requests[0])).toEqual([
      ['m.value', '59.9'],
      ['m.currency', 'EUR'],
      ['m.transactionId', 'o-1'],
      ['event', 'Purchase'],
      ['id', 'a2_test42'],
      ['ts', String(T)],
      ['uuid', UUID],
      ...TAIL,
    ])
  })

  test.each(['ViewContent', 'AddToCart', 'AddToWishlist', 'Search', 'Lead', 'SignUp', 'Custom'])('a %s action is the %s event', async (type) => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: type, firingTriggers: ['AllTracks'], data: {} } } })
    await zaraz.track('anything')
    expect(params(transport.requests[0]).event).toBe(type)
  })

  test('the pixel id is always the setting: an id field is replaced where it stands', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: 'Lead', firingTriggers: ['AllTracks'], data: { id: 'a2_other', 'm.itemCount': '1' } } } })
    await zaraz.track('lead')
    expect(pairs(transport.requests[0]).slice(0, 3)).toEqual([['id', 'a2_test42'], ['m.itemCount', '1'], ['event', 'Lead']])
  })

  test('a plain event action sends nothing (the official component has no event listener)', async () => {
    const { zaraz, transport } = run({ automatedActions: { track: true } })
    await zaraz.track('Signup')
    expect(transport.requests).toEqual([])
  })

  test('the uuid is kept across page views (reddit_uuid rewritten with the new time)', async () => {
    localStorage.setItem('tagrelay_kv_rdt:reddit_uuid', JSON.stringify({ v: '1600000000000.kept-uuid-1', e: 0 }))
    // The cookie that says tagrelay wrote to this site's storage before (else storage is not read).
    document.cookie = 'tagrelay_st=1; path=/'
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(params(transport.requests[0]).uuid).toBe('kept-uuid-1')
    expect(stored('reddit_uuid')).toEqual({ v: `${T}.kept-uuid-1`, e: 0 })
  })

  test('rdt_cid in the URL is sent as click_id; a timestamp field is not sent', async () => {
    history.replaceState({}, '', '/landing?rdt_cid=clk-77')
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: 'Lead', firingTriggers: ['AllTracks'], data: { timestamp: '123', 'm.customEventName': 'x' } } } })
    await zaraz.track('lead')
    const p = pairs(transport.requests[0])
    expect(p.slice(0, 6)).toEqual([['m.customEventName', 'x'], ['event', 'Lead'], ['id', 'a2_test42'], ['ts', String(T)], ['uuid', UUID], ['click_id', 'clk-77']])
    expect(p.map(([k]) => k)).not.toContain('timestamp')
  })

  test('without consent for its purpose nothing is sent and no uuid is kept', async () => {
    const consent = { enabled: true, purposes: { ads: { name: 'Ads', description: '' } } }
    const { zaraz, transport } = run({ defaultPurpose: 'ads' }, { consent })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(stored('reddit_uuid')).toBeNull()
  })
})
