/**
 * Taboola's exact requests, as Zaraz's component (managed-components/taboola) sends them, with a
 * fixed clock (1,700,000,000,000 ms). Expected values are written out from the component's facts.
 */
import { describe, expect, test } from 'vitest'
import { setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
const PIXEL = 'https://trc.taboola.com/1234567/log/3/unip'

freshPageEachTest()

const taboola = (tool: Record<string, unknown> = {}) =>
  setup({ tools: { tb: { type: 'component', component: 'taboola', permissions: ['client_network_requests'], settings: { id: '1234567' }, ...tool } } })

describe('Taboola', () => {
  test('a pageview is a no-cors GET to /<id>/log/3/unip with en=page_view and the page as item-url', async () => {
    const { zaraz, transport } = taboola({ automatedActions: { pageview: true } })
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, base(r), r.mode, r.credentials]).toEqual(['GET', PIXEL, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([
      ['tim', String(T)],
      ['cv', '20230105-3-RELEASE'],
      ['en', 'page_view'],
      ['item-url', location.href],
    ])
  })

  test('an event sends its en, its revenue, currency, order id and custom fields, and no item-url', async () => {
    const { zaraz, transport } = taboola({
      actions: { buy: { actionType: 'event', firingTriggers: ['AllTracks'], data: { en: 'make_purchase', revenue: '{{ client.value }}', currency: 'EUR', orderid: '{{ client.id }}', timestampt: 'x' } } },
    })
    await zaraz.track('bought', { value: 42.5, id: 'o-7' })
    expect(pairs(transport.requests[0])).toEqual([
      ['tim', String(T)],
      ['cv', '20230105-3-RELEASE'],
      ['en', 'make_purchase'],
      ['revenue', '42.5'],
      ['currency', 'EUR'],
      ['orderid', 'o-7'],
    ])
  })

  test('en "custom" sends the custom_en field as the event name', async () => {
    const { zaraz, transport } = taboola({ actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { en: 'custom', custom_en: 'newsletter' } } } })
    await zaraz.track('subscribed')
    expect(pairs(transport.requests[0]).find(([k]) => k == 'en')).toEqual(['en', 'newsletter'])
    expect(transport.requests[0].url).not.toContain('custom_en')
  })

  test('without an en field the event is named after the track, as the en of an exported automated action, and sends its properties', async () => {
    const { zaraz, transport } = taboola({ automatedActions: { track: true } })
    await zaraz.track('Signup', { plan: 'pro' })
    expect(pairs(transport.requests[0]).slice(2)).toEqual([
      ['en', 'Signup'],
      ['plan', 'pro'],
    ])
  })

  test('the landing URL click id tblci and the referrer are sent', async () => {
    history.replaceState({}, '', '/landing?tblci=GiCk1')
    const { zaraz, transport } = taboola({ automatedActions: { pageview: true } })
    await zaraz.track('Pageview')
    const p = Object.fromEntries(pairs(transport.requests[0]))
    expect(p.tblci).toBe('GiCk1')
  })

  test('without an account id nothing is sent', async () => {
    const { zaraz, transport } = taboola({ settings: {}, automatedActions: { pageview: true } })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })
})
