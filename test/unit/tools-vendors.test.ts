/**
 * The vendor tools' exact requests: URL, method and every parameter, for a pageview, a custom
 * event and each mapped e-commerce event, with a fixed clock (1,700,000,000,000 ms) and a fixed
 * random source (0.5). Expected values are written out from the vendors' documentation, not
 * computed with the tools' own code.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { validateConfig } from '../../src/index'
import { resetPage, setup } from './helpers'
import { pairs, base, freshPageEachTest } from './run-built-in'

const T = 1_700_000_000_000
const S = 1_700_000_000
/** floor(0.5 × 2147483647) (+ 1 where the vendor's ids start at 1). */
const R = 1073741823

freshPageEachTest('Shop')

function run(tool: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return setup({ settings: { ecommerce: true }, tools: { t: { settings: { ecommerce: true }, ...tool } }, ...extra }, { env: { random: () => 0.5 } })
}

const ORDER = {
  order_id: 'o-1',
  checkout_id: 'co-1',
  total: 59.9,
  revenue: 50,
  shipping: 5,
  tax: 4.9,
  coupon: 'SUMMER',
  currency: 'EUR',
  products: [
    { product_id: 'p1', sku: 's1', name: 'Relay Tee', brand: 'RG', category: 'Apparel', variant: 'M', price: 24, quantity: 2 },
    { product_id: 'p2', name: 'Mug ~ 350', price: 11.9, quantity: 1 },
  ],
}
/** As Zaraz's GA4 tool builds items: the sku as id when there is one, then category, name… */
const ITEM1 = 'ids1~caApparel~nmRelay Tee~brRG~vaM~pr24~qt2'
const ITEM2 = 'idp2~nmMug ~~ 350~pr11.9~qt1'

describe('Google Analytics 4', () => {
  const ga4 = (extra: Record<string, unknown> = {}) =>
    run({ component: 'google-analytics-4', settings: { tid: 'G-TEST1', ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true }, ...extra })

  /** What every first hit of a new visitor carries, in order, before the event's own parameters. */
  const first = (en: string): Array<[string, string]> => [
    ['v', '2'],
    ['tid', 'G-TEST1'],
    ['_p', String(R + 1)],
    ['cid', `${R + 1}.${S}`],
    ['ul', 'en-us'],
    ['sr', '1024x768'],
    ['_s', '1'],
    ['sid', String(S)],
    ['sct', '1'],
    ['seg', '0'],
    ['dl', location.href],
    ['dt', 'Shop'],
    ['en', en],
    ['_fv', '1'],
    ['_ss', '1'],
  ]

  test('a pageview is a POST to /g/collect with the client id, the session and the page', async () => {
    const { zaraz, transport } = ga4()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, base(r), r.mode, r.credentials, r.body]).toEqual(['POST', 'https://www.google-analytics.com/g/collect', 'no-cors', 'include', undefined])
    expect(pairs(r)).toEqual(first('page_view'))
    expect(document.cookie).toContain(`_ga=GA1.1.${R + 1}.${S}`)
    expect(document.cookie).toContain(`_ga_TEST1=GS1.1.${S}.1.0.${S}.0.0.0`)
  })

  test('a custom event: its name as en, strings as ep.*, numbers as epn.*, up.* as user properties, the engagement time', async () => {
    const { zaraz, transport, clock } = ga4()
    await zaraz.track('Pageview')
    clock.advance(12_000)
    await zaraz.track('signup', { plan: 'pro', seats: 3, 'up.tier': 'gold', uid: 'u-9' })
    const r = transport.requests[1]
    expect([r.method, base(r)]).toEqual(['POST', 'https://www.google-analytics.com/g/collect'])
    expect(pairs(r)).toEqual([
      ['v', '2'],
      ['tid', 'G-TEST1'],
      ['_p', String(R + 1)],
      ['cid', `${R + 1}.${S}`],
      ['ul', 'en-us'],
      ['sr', '1024x768'],
      ['uid', 'u-9'],
      ['_s', '2'],
      ['sid', String(S)],
      ['sct', '1'],
      ['seg', '1'],
      ['dl', location.href],
      ['dt', 'Shop'],
      ['en', 'signup'],
      ['_et', '12000'],
      ['ep.plan', 'pro'],
      ['epn.seats', '3'],
      ['up.tier', 'gold'],
    ])
  })

  test('the en field of an action names the event', async () => {
    const { zaraz, transport } = ga4({
      automatedActions: undefined,
      actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { en: 'sign_up', method: '{{ client.via }}' } } },
    })
    await zaraz.track('signup', { via: 'email' })
    expect(pairs(transport.requests[0]).filter(([k]) => k == 'en' || k.startsWith('ep'))).toEqual([
      ['en', 'sign_up'],
      ['ep.method', 'email'],
    ])
  })

  test('the next page view in the same session keeps the client id and the session; 30 idle minutes start a new one', async () => {
    const a = ga4()
    await a.zaraz.track('Pageview')
    const b = ga4()
    b.clock.advance(60_000)
    await b.zaraz.track('Pageview')
    const same = Object.fromEntries(pairs(b.transport.requests[0]))
    expect([same.cid, same.sid, same.sct, same._ss, same._fv]).toEqual([`${R + 1}.${S}`, String(S), '1', undefined, undefined])
    const c = ga4()
    c.clock.advance(32 * 60_000)
    await c.zaraz.track('Pageview')
    const next = Object.fromEntries(pairs(c.transport.requests[0]))
    expect([next.cid, next.sid, next.sct, next._ss, next._fv]).toEqual([`${R + 1}.${S}`, String(S + 32 * 60), '2', '1', undefined])
  })

  const ECOMMERCE: Array<[string, string]> = [
    ['Product Added', 'add_to_cart'],
    ['Product Added to Wishlist', 'add_to_wishlist'],
    ['Product Removed', 'remove_from_cart'],
    ['Product Clicked', 'select_item'],
    ['Product Viewed', 'view_item'],
    ['Cart Viewed', 'view_cart'],
    ['Product List Viewed', 'view_item_list'],
    ['Products Searched', 'view_search_results'],
    ['Clicked Promotion', 'select_promotion'],
    ['Viewed Promotion', 'view_promotion'],
    ['Checkout Started', 'begin_checkout'],
    ['Checkout Step Completed', 'checkout_progress'],
    ['Payment Info Entered', 'add_payment_info'],
    ['Shipping Info Entered', 'add_shipping_info'],
    ['Order Completed', 'purchase'],
    ['Order Refunded', 'refund'],
  ]

  test.each(ECOMMERCE)('%s is sent as %s with currency, value, transaction id, totals and items', async (name, en) => {
    const { zaraz, transport } = ga4()
    await zaraz.ecommerce(name, ORDER)
    const [r] = transport.requests
    expect([r.method, base(r)]).toEqual(['POST', 'https://www.google-analytics.com/g/collect'])
    const hit = first(en)
    hit[9] = ['seg', '1'] // an e-commerce event engages the session
    expect(pairs(r)).toEqual([
      ...hit,
      ['cu', 'EUR'],
      ['epn.value', '59.9'],
      ['ep.transaction_id', 'o-1'],
      ['epn.shipping', '5'],
      ['epn.tax', '4.9'],
      ['ep.coupon', 'SUMMER'],
      ['pr1', ITEM1],
      ['pr2', ITEM2],
    ])
  })

  test('a single-product call is one item; value falls back to price; search terms and payment types are named as GA4 names them', async () => {
    const one = async (name: string, params: Record<string, unknown>) => {
      resetPage()
      const { zaraz, transport } = ga4()
      await zaraz.ecommerce(name, params)
      return pairs(transport.requests[0]).slice(first('x').length)
    }
    const a = await one('Product Added', { product_id: 'p1', name: 'Tee', price: 24, quantity: 1, currency: 'USD' })
    const b = await one('Products Searched', { query: 'mugs' })
    const c = await one('Payment Info Entered', { checkout_id: 'co-1', payment_type: 'card' })
    expect(a).toEqual([
      ['cu', 'USD'],
      ['epn.value', '24'],
      ['pr1', 'idp1~nmTee~pr24~qt1'],
    ])
    expect(b).toEqual([['ep.search_term', 'mugs']])
    expect(c).toEqual([
      ['ep.transaction_id', 'co-1'],
      ['ep.payment_type', 'card'],
    ])
  })

  test('items are as Zaraz’s GA4 tool sends them: the sku as item id (else the product id), the position as lp, in its order', async () => {
    const { zaraz, transport } = ga4()
    await zaraz.ecommerce('Product List Viewed', {
      products: [
        { position: 1, product_id: 'p1', sku: 'SKU-1', name: 'Tee', category: 'Apparel', price: 24 },
        { position: 2, product_id: 'p2', sku: '', name: 'Mug', coupon: 'C', variant: 'Blue', brand: 'RG', quantity: 3 },
      ],
    })
    const items = pairs(transport.requests[0]).filter(([k]) => /^pr\d/.test(k))
    expect(items).toEqual([
      ['pr1', 'idSKU-1~caApparel~nmTee~pr24~lp1'],
      ['pr2', 'idp2~nmMug~brRG~vaBlue~qt3~cpC~lp2'],
    ])
  })

  test('an e-commerce name without a GA4 equivalent is sent under its own name', async () => {
    const { zaraz, transport } = ga4()
    await zaraz.ecommerce('Order Cancelled', { order_id: 'o-1' })
    expect(Object.fromEntries(pairs(transport.requests[0])).en).toBe('Order Cancelled')
  })

  test('a Measurement Protocol API secret in the settings is a config error', () => {
    const { errors } = validateConfig({ tools: { g: { component: 'google-analytics-4', settings: { tid: 'G-1', apiSecret: 's3cr3t' } } } })
    expect(errors.map((e) => e.path)).toEqual(['tools.g.settings.apiSecret'])
    expect(errors[0].message).toContain('server secret')
  })
})

describe('Meta (Facebook) Pixel', () => {
  const fb = (extra: Record<string, unknown> = {}) =>
    run({ component: 'facebook-pixel', settings: { property: '1234567890', ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true }, ...extra })

  const head = (ev: string, ec = 0): Array<[string, string]> => [
    ['id', '1234567890'],
    ['ev', ev],
    ['dl', location.href],
    ['if', 'false'],
    ['ts', String(T)],
    ['sw', '1024'],
    ['sh', '768'],
    ['ec', String(ec)],
    ['fbp', `fb.1.${T}.${R + 1}`],
    ['eid', `${T}.500000000`],
  ]

  test('a pageview is an image request to /tr/ with the pixel id, PageView and the _fbp browser id', async () => {
    const { zaraz, transport } = fb()
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect([r.kind, base(r)]).toEqual(['image', 'https://www.facebook.com/tr/'])
    expect(pairs(r)).toEqual(head('PageView'))
    expect(document.cookie).toContain(`_fbp=fb.1.${T}.${R + 1}`)
  })

  test('a custom event: its name as ev and its properties as cd[…]; the ev field renames it', async () => {
    const { zaraz, transport } = fb()
    await zaraz.track('signup', { plan: 'pro', seats: 3, tags: ['a'] })
    await zaraz.track('lead', { ev: 'Lead', event_id: 'e-1' })
    expect(pairs(transport.requests[0])).toEqual([
      ...head('signup'),
      ['cd[plan]', 'pro'],
      ['cd[seats]', '3'],
      ['cd[tags]', '["a"]'],
    ])
    const second = head('Lead', 1)
    second[9] = ['eid', 'e-1']
    expect(pairs(transport.requests[1])).toEqual(second)
  })

  test('fbclid in the URL becomes the _fbc click id, sent as fbc and kept', async () => {
    history.replaceState({}, '', '/landing?fbclid=IwAR0abc')
    const { zaraz, transport } = fb()
    await zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(transport.requests[0])).fbc).toBe(`fb.1.${T}.IwAR0abc`)
    expect(document.cookie).toContain(`_fbc=fb.1.${T}.IwAR0abc`)
  })

  test('advanced-matching fields are sent as ud[…] SHA-256 hashes, never in clear', async () => {
    const { zaraz, transport } = fb()
    await zaraz.track('signup', { em: ' Jane@Example.com ' })
    const p = Object.fromEntries(pairs(transport.requests[0]))
    // sha256("jane@example.com")
    expect(p['ud[em]']).toBe('8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d')
    expect(transport.requests[0].url).not.toContain('Example')
  })

  const contents = '[{"id":"s1","quantity":2,"item_price":24},{"id":"p2","quantity":1,"item_price":11.9}]'
  const ECOMMERCE: Array<[string, string, Array<[string, string]>]> = [
    ['Order Completed', 'Purchase', [['cd[num_items]', '3']]],
    ['Product Added', 'AddToCart', []],
    ['Products Searched', 'Search', [['cd[search_string]', 'tees']]],
    ['Checkout Started', 'InitiateCheckout', [['cd[num_items]', '3']]],
    ['Payment Info Entered', 'AddPaymentInfo', []],
    ['Product Added to Wishlist', 'AddToWishlist', []],
    ['Product Viewed', 'ViewContent', []],
  ]
  test.each(ECOMMERCE)('%s is the standard event %s with value, currency and contents', async (name, ev, more) => {
    const { zaraz, transport } = fb()
    await zaraz.ecommerce(name, { ...ORDER, query: 'tees' })
    const [r] = transport.requests
    expect([r.kind, base(r)]).toEqual(['image', 'https://www.facebook.com/tr/'])
    expect(pairs(r)).toEqual([
      ...head(ev),
      ['cd[currency]', 'EUR'],
      ['cd[value]', '59.9'],
      ['cd[content_type]', 'product'],
      ['cd[content_ids]', '["s1","p2"]'],
      ['cd[contents]', contents],
      ['cd[content_name]', 'Relay Tee,Mug ~ 350'],
      ['cd[order_id]', 'o-1'],
      ...more,
    ])
  })

  test('the Conversions API access token is refused with a clear config error', () => {
    const { errors } = validateConfig({ tools: { fb: { component: 'facebook-pixel', settings: { property: '1', accessToken: 'EAAB…' } } } })
    expect(errors).toEqual([{ path: 'tools.fb.settings.accessToken', message: expect.stringContaining('Conversions API access token is a server secret') }])
  })
})

describe('Google Ads', () => {
  const ads = (extra: Record<string, unknown> = {}) =>
    run({
      component: 'google-ads',
      settings: { conversionId: 'AW-987654', conversionLabel: 'PurchaseLbl', ecommerce: true },
      automatedActions: { pageview: true, track: true, ecommerce: true },
      ...extra,
    })
  const RMK = 'https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654/'
  const CONV = 'https://www.googleadservices.com/pagead/conversion/987654/'
  const tail: Array<[string, string]> = [
    ['url', ''],
    ['tiba', 'Shop'],
    ['rnd', String(R)],
  ]
  const page = (): Array<[string, string]> => tail.map(([k, v]) => [k, k == 'url' ? location.href : v])

  test('a pageview is a remarketing hit (viewthroughconversion), a no-cors GET', async () => {
    const { zaraz, transport } = ads()
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect([r.method, base(r), r.mode, r.credentials]).toEqual(['GET', RMK, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([['guid', 'ON'], ['script', '0'], ['data', 'event=page_view'], ...page()])
  })

  test('a custom event is a remarketing hit with the event and its properties in data', async () => {
    const { zaraz, transport } = ads()
    await zaraz.track('signup', { plan: 'pro', seats: 3 })
    const [r] = transport.requests
    expect(base(r)).toBe(RMK)
    expect(pairs(r)).toEqual([['guid', 'ON'], ['script', '0'], ['data', 'event=signup;plan=pro;seats=3'], ...page()])
  })

  test('a conversion action goes to the conversion endpoint with label, value, currency and transaction id', async () => {
    const { zaraz, transport } = ads({
      automatedActions: undefined,
      actions: {
        c: {
          actionType: 'conversion',
          firingTriggers: ['AllTracks'],
          data: { label: 'AbC-d_1', value: '{{ client.total }}', currency_code: 'EUR', transaction_id: '{{ client.order }}' },
        },
      },
    })
    await zaraz.track('buy', { total: 42.5, order: 'o-7' })
    const [r] = transport.requests
    expect([r.method, base(r)]).toEqual(['GET', CONV])
    expect(pairs(r)).toEqual([
      ['guid', 'ON'],
      ['script', '0'],
      ['label', 'AbC-d_1'],
      ['value', '42.5'],
      ['currency_code', 'EUR'],
      ['transaction_id', 'o-7'],
      ...page(),
    ])
  })

  test('gclid in the landing URL is kept as _gcl_aw = GCL.<s>.<gclid> and sent as gclaw, on later pages too', async () => {
    history.replaceState({}, '', '/landing?gclid=Cj0KCQ')
    const a = ads()
    await a.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(a.transport.requests[0])).gclaw).toBe('Cj0KCQ')
    expect(document.cookie).toContain(`_gcl_aw=GCL.${S}.Cj0KCQ`)
    history.replaceState({}, '', '/next')
    const b = ads()
    await b.zaraz.track('Pageview')
    expect(Object.fromEntries(pairs(b.transport.requests[0])).gclaw).toBe('Cj0KCQ')
  })

  const ECOMMERCE: Array<[string, string]> = [
    ['Product Added', 'add_to_cart'],
    ['Product Added to Wishlist', 'add_to_wishlist'],
    ['Product Removed', 'remove_from_cart'],
    ['Product Clicked', 'select_item'],
    ['Product Viewed', 'view_item'],
    ['Cart Viewed', 'view_cart'],
    ['Product List Viewed', 'view_item_list'],
    ['Products Searched', 'view_search_results'],
    ['Clicked Promotion', 'select_promotion'],
    ['Viewed Promotion', 'view_promotion'],
    ['Checkout Started', 'begin_checkout'],
    ['Checkout Step Completed', 'checkout_progress'],
    ['Payment Info Entered', 'add_payment_info'],
    ['Shipping Info Entered', 'add_shipping_info'],
    ['Order Refunded', 'refund'],
  ]
  test.each(ECOMMERCE)('%s is a remarketing hit for %s with value and currency', async (name, event) => {
    const { zaraz, transport } = ads()
    await zaraz.ecommerce(name, ORDER)
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, base(r)]).toEqual(['GET', RMK])
    expect(pairs(r)).toEqual([['guid', 'ON'], ['script', '0'], ['value', '59.9'], ['currency_code', 'EUR'], ['data', `event=${event}`], ...page()])
  })

  test('Order Completed is a conversion with the purchase label and the order id, and a remarketing hit', async () => {
    const { zaraz, transport } = ads()
    await zaraz.ecommerce('Order Completed', ORDER)
    expect(transport.requests.map((r) => [r.method, base(r)])).toEqual([
      ['GET', CONV],
      ['GET', RMK],
    ])
    expect(pairs(transport.requests[0])).toEqual([
      ['guid', 'ON'],
      ['script', '0'],
      ['label', 'PurchaseLbl'],
      ['value', '59.9'],
      ['currency_code', 'EUR'],
      ['transaction_id', 'o-1'],
      ...page(),
    ])
    expect(pairs(transport.requests[1])).toEqual([['guid', 'ON'], ['script', '0'], ['value', '59.9'], ['currency_code', 'EUR'], ['data', 'event=purchase'], ...page()])
  })
})

describe('Custom HTML', () => {
  afterEach(() => document.body.querySelectorAll('.chtml, script').forEach((n) => n.remove()))

  /** Records, in order, every script element the page gets. */
  function scriptsAdded() {
    const added: HTMLScriptElement[] = []
    const observer = new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLScriptElement) added.push(n)
    })
    observer.observe(document.body, { childList: true, subtree: true })
    return { added, stop: () => observer.disconnect() }
  }

  const html = '<div class="chtml">Hi<script>window.__c1 = 1</script></div><script data-x="2">window.__c2 = 2</script>'

  test('inserts the markup at the end of <body> and recreates its scripts in document order, carrying the nonce', async () => {
    const seen = scriptsAdded()
    const { zaraz } = setup(
      { tools: { h: { component: 'custom-html', automatedActions: { pageview: true }, defaultFields: { htmlCode: html } } } },
      { nonce: 'n0nce' },
    )
    await zaraz.track('Pageview')
    await new Promise((r) => setTimeout(r, 0))
    seen.stop()
    expect(document.querySelector('.chtml')!.parentElement).toBe(document.body)
    expect(seen.added.map((s) => [s.text, s.nonce, s.getAttribute('data-x')])).toEqual([
      ['window.__c1 = 1', 'n0nce', null],
      ['window.__c2 = 2', 'n0nce', '2'],
    ])
    // Each script stands where it was written.
    expect(seen.added[0].parentElement!.className).toBe('chtml')
  })

  test('with ignoreSPA it runs on the page load only, not on SPA pageviews; without, on every pageview', async () => {
    const count = async (ignoreSPA: boolean) => {
      document.body.querySelectorAll('.chtml').forEach((n) => n.remove())
      const { zaraz } = setup({ tools: { h: { component: 'custom-html', automatedActions: { pageview: true }, defaultFields: { htmlCode: '<p class="chtml">x</p>', ignoreSPA } } } })
      await zaraz.track('Pageview')
      await zaraz.spaPageview()
      await zaraz.spaPageview()
      return document.querySelectorAll('.chtml').length
    }
    expect(await count(true)).toBe(1)
    expect(await count(false)).toBe(3)
  })

  test('a config entry without execute_unsafe_scripts inserts nothing', async () => {
    const { zaraz } = setup({
      tools: { h: { component: 'custom-html', permissions: [], automatedActions: { pageview: true }, defaultFields: { htmlCode: '<p class="chtml">x</p>' } } },
    })
    await zaraz.track('Pageview')
    expect(document.querySelector('.chtml')).toBeNull()
  })
})
