/**
 * Review of the vendor tools against REFERENCE.md and the Managed Components originals: cases the
 * main vendor tests (tools-vendors.test.ts) do not cover. Same fixed clock and random source.
 */
import { describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000

freshPageEachTest()

const params = (r: RecordedRequest) => Object.fromEntries(new URL(r.url).searchParams)

function run(tool: Record<string, unknown>) {
  return setup({ settings: { ecommerce: true }, tools: { t: { settings: { ecommerce: true }, ...tool } } }, { env: { random: () => 0.5 } })
}

describe('Meta Pixel', () => {
  const fb = () =>
    run({ component: 'facebook-pixel', settings: { property: '1234567890', ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true } })

  test('cd[value] is value > price > total > revenue, as in the reference table (and the Zaraz component)', async () => {
    const { zaraz, transport } = fb()
    await zaraz.ecommerce('Order Completed', { value: 10, total: 12, revenue: 9, currency: 'EUR' })
    await zaraz.ecommerce('Product Added', { product_id: 'p1', price: 5, total: 7 })
    await zaraz.ecommerce('Checkout Started', { total: 30, revenue: 25 })
    expect(transport.requests.map((r) => params(r)['cd[value]'])).toEqual(['10', '5', '30'])
  })

  test('an empty sku falls back to product_id in content_ids and contents', async () => {
    const { zaraz, transport } = fb()
    await zaraz.ecommerce('Product Added', { products: [{ sku: '', product_id: 'p1', price: 5 }] })
    const p = params(transport.requests[0])
    expect([p['cd[content_ids]'], p['cd[contents]']]).toEqual(['["p1"]', '[{"id":"p1","quantity":1,"item_price":5}]'])
  })

  test('events keep their order (and ec) when an earlier one waits for its advanced-matching hashes', async () => {
    const { zaraz, transport } = fb()
    const a = zaraz.track('Lead', { em: 'jane@example.com' })
    const b = zaraz.track('Contact')
    await Promise.all([a, b])
    expect(transport.requests.map((r) => [params(r).ev, params(r).ec])).toEqual([
      ['Lead', '0'],
      ['Contact', '1'],
    ])
  })

  test('a single-product call with an empty product_id but a sku is still a product', async () => {
    const { zaraz, transport } = fb()
    await zaraz.ecommerce('Product Added', { product_id: '', sku: 's1', price: 5 })
    expect(params(transport.requests[0])['cd[content_ids]']).toBe('["s1"]')
  })

  test('an empty event_id field gets a generated eid instead of none', async () => {
    const { zaraz, transport } = fb()
    await zaraz.track('Lead', { event_id: '' })
    expect(params(transport.requests[0]).eid).toBe(`${T}.500000000`)
  })

  test('a hit whose sending throws does not hold back the later ones', async () => {
    const { zaraz, transport } = fb()
    const send = transport.send.bind(transport)
    let n = 0
    transport.send = (r) => {
      if (!n++) throw new Error('boom')
      return send(r)
    }
    await zaraz.track('Lead', { em: 'jane@example.com' }).catch(() => undefined)
    await zaraz.track('Contact')
    expect(transport.requests.map((r) => params(r).ev)).toEqual(['Contact'])
  })
})

describe('Google Ads', () => {
  const RMK = 'https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654/'
  const CONV = 'https://www.googleadservices.com/pagead/conversion/987654/'

  test('an empty conversionId or label field (as exported configs carry them) falls back to the settings', async () => {
    const { zaraz, transport } = run({
      component: 'google-ads',
      settings: { conversionId: 'AW-987654', conversionLabel: 'PurchaseLbl', ecommerce: true },
      automatedActions: { pageview: true, ecommerce: true },
      defaultFields: { conversionId: '', label: '' },
    })
    await zaraz.track('Pageview')
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1', total: 5 })
    expect(transport.requests.map(base)).toEqual([RMK, CONV, RMK])
    expect(params(transport.requests[1]).label).toBe('PurchaseLbl')
  })

  test('with ad_storage denied the click id is neither stored nor read from _gcl_aw, and no cookies are sent', async () => {
    document.cookie = '_gcl_aw=GCL.1699999000.OldClick; path=/'
    history.replaceState({}, '', '/landing?gclid=NewClick')
    const { zaraz, transport } = run({
      component: 'google-ads',
      settings: { conversionId: 'AW-987654' },
      automatedActions: { pageview: true },
    })
    zaraz.set('google_consent_update', { ad_storage: 'denied', analytics_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'denied' })
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect(params(r).gcs).toBe('G101')
    expect(r.credentials).toBe('omit')
    // The landing URL's gclid (already in `url`) is sent; the stored one is not read nor replaced.
    expect(params(r).gclaw).toBe('NewClick')
    expect(document.cookie).toContain('_gcl_aw=GCL.1699999000.OldClick')
    history.replaceState({}, '', '/next')
    await zaraz.track('Pageview')
    expect(params(transport.requests[1]).gclaw).toBeUndefined()
  })

  test('with ad_storage granted the click id is kept as before', async () => {
    history.replaceState({}, '', '/landing?gclid=NewClick')
    const { zaraz, transport } = run({ component: 'google-ads', settings: { conversionId: 'AW-987654' }, automatedActions: { pageview: true } })
    zaraz.set('google_consent_update', { ad_storage: 'granted', analytics_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' })
    await zaraz.track('Pageview')
    expect(transport.requests[0].credentials).toBe('include')
    expect(document.cookie).toContain(`_gcl_aw=GCL.${T / 1000}.NewClick`)
  })
})

describe('GA4 with Consent Mode', () => {
  const ga4 = () => run({ component: 'google-analytics-4', settings: { tid: 'G-TEST123' }, automatedActions: { pageview: true, track: true } })

  test('with analytics_storage denied no _ga cookie is read or written, no cookies are sent, and the page keeps one client id', async () => {
    document.cookie = '_ga=GA1.1.111.1699990000; path=/'
    const { zaraz, transport } = ga4()
    zaraz.set('google_consent_update', { ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' })
    await zaraz.track('Pageview')
    await zaraz.track('signup')
    const [a, b] = transport.requests.map(params)
    expect(a.gcs).toBe('G100')
    expect(transport.requests.map((r) => r.credentials)).toEqual(['omit', 'omit'])
    expect(a.cid).not.toBe('111.1699990000')
    expect(b.cid).toBe(a.cid)
    expect(b.sid).toBe(a.sid)
    expect(document.cookie).toContain('_ga=GA1.1.111.1699990000')
    expect(document.cookie).not.toContain('_ga_TEST123')
  })

  test('with analytics_storage granted the cookies are used as before', async () => {
    document.cookie = '_ga=GA1.1.111.1699990000; path=/'
    const { zaraz, transport } = ga4()
    zaraz.set('google_consent_update', { ad_storage: 'denied', analytics_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'denied' })
    await zaraz.track('Pageview')
    expect(params(transport.requests[0]).cid).toBe('111.1699990000')
    expect(transport.requests[0].credentials).toBe('include')
    expect(document.cookie).toContain('_ga_TEST123=GS1.1.')
  })
})
