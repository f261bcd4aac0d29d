/**
 * LinkedIn Insight (`linkedin`): the exact requests, with a fixed clock (1,700,000,000,000 ms).
 * Expected values are written out from the official component's facts (docs/tools/linkedin.md).
 */
import { describe, expect, test } from 'vitest'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
const ENDPOINT = 'https://px.ads.linkedin.com/collect/'
const ONE_MONTH_MS = 2_628_000_000

freshPageEachTest()

const stored = (key: string) => JSON.parse(localStorage.getItem(`tagrelay_kv_li:${key}`) || 'null')

/** The built-in tool with an exported-style entry: the permissions Zaraz's manifest requires, plus any given. */
function run(extra: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const tool = { type: 'component', component: 'linkedin', permissions: ['client_network_requests', 'access_client_kv'], settings: { pid: '5551234' }, automatedActions: { pageview: true }, ...extra }
  return setup({ tools: { li: tool }, ...config })
}

describe('LinkedIn Insight', () => {
  test('a pageview is a no-cors GET to /collect/ with the partner id alone', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method ?? 'GET', base(r), r.mode, r.credentials]).toEqual(['GET', ENDPOINT, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([
      ['fmt', 'js'],
      ['v', '2'],
      ['url', location.href],
      ['time', String(T)],
      ['pid', '5551234'],
    ])
  })

  test('an event action sends its fields after the tool’s own: a conversionId makes it a conversion', async () => {
    const { zaraz, transport } = run({
      automatedActions: undefined,
      actions: { lead: { actionType: 'event', firingTriggers: ['AllTracks'], data: { conversionId: '777', plan: '{{ client.plan }}' } } },
    })
    await zaraz.track('Signup', { plan: 'pro' })
    expect(pairs(transport.requests[0])).toEqual([
      ['fmt', 'js'],
      ['v', '2'],
      ['url', location.href],
      ['time', String(T)],
      ['pid', '5551234'],
      ['conversionId', '777'],
      ['plan', 'pro'],
    ])
  })

  test('a pid field in the action overrides the setting, as in the official component', async () => {
    const { zaraz, transport } = run({ automatedActions: undefined, actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { pid: '999', conversionId: '1' } } } })
    await zaraz.track('Signup')
    expect(new URL(transport.requests[0].url).searchParams.getAll('pid')).toEqual(['999'])
  })

  test('Consent Mode state set on the page is not sent as a field', async () => {
    const { zaraz, transport } = run({ automatedActions: { track: true } })
    zaraz.set('google_consent_update', { ad_storage: 'granted' })
    await zaraz.track('Signup', { plan: 'pro' })
    const keys = pairs(transport.requests[0]).map(([k]) => k)
    expect(keys).toEqual(['fmt', 'v', 'url', 'time', 'pid', 'plan'])
  })

  test('li_fat_id in the landing URL is sent and kept for one month, then sent from later pages', async () => {
    history.replaceState({}, '', '/landing?li_fat_id=abc-123')
    const a = run()
    await a.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(a.transport.requests[0])).li_fat_id).toBe('abc-123')
    expect(stored('li_fat_id')).toEqual({ v: 'abc-123', e: T + ONE_MONTH_MS })
    history.replaceState({}, '', '/next')
    const b = run()
    await b.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(b.transport.requests[0])).li_fat_id).toBe('abc-123')
  })

  test('with only the exported client_network_requests permission it sends, with the URL’s click id, and keeps nothing', async () => {
    history.replaceState({}, '', '/landing?li_fat_id=abc-123')
    const { zaraz, transport, console } = run({ permissions: ['client_network_requests'] })
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    expect(Object.fromEntries(pairs(transport.requests[0])).li_fat_id).toBe('abc-123')
    expect(stored('li_fat_id')).toBeNull()
    expect(console.count('warn')).toBe(0)
  })

  test('without consent for its purpose nothing is sent and no click id is kept; consent releases the held pageview', async () => {
    history.replaceState({}, '', '/landing?li_fat_id=abc-123')
    const consent = { enabled: true, purposes: { ads: { name: 'Ads', description: '' } } }
    const { zaraz, transport } = run({ defaultPurpose: 'ads' }, { consent })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(stored('li_fat_id')).toBeNull()
    zaraz.consent.set({ ads: true })
    await transport.waitFor(1)
    expect(Object.fromEntries(pairs(transport.requests[0])).li_fat_id).toBe('abc-123')
  })
})
