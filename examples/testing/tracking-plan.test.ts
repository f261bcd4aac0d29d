// An example of testing your own tracking plan with tagrelay/testing (vitest + happy-dom here;
// jest + jsdom works the same). Run with `npm test`; it imports the built package like you would.
import { beforeEach, expect, test } from 'vitest'
import type { Zaraz } from 'tagrelay'
import { createTestZaraz } from 'tagrelay/testing'

// The site's config, as it is deployed (here inline; usually imported from your zaraz.json).
const config = {
  settings: { ecommerce: true },
  tools: {
    ga4: {
      component: 'google-analytics-4',
      settings: { tid: 'G-SHOP123', ecommerce: true },
      automatedActions: { pageview: true, track: true, ecommerce: true },
    },
  },
}

// The page code under test: clicking Buy reports the order.
function renderCheckout(zaraz: Zaraz) {
  document.body.innerHTML = '<button id="buy">Buy</button>'
  document.getElementById('buy')!.addEventListener('click', () => {
    void zaraz.ecommerce('Order Completed', { order_id: 'o-1001', total: 59.9, currency: 'EUR', products: [{ product_id: 'tee', price: 29.95, quantity: 2 }] })
  })
}

beforeEach(() => {
  localStorage.clear()
  document.cookie.split(';').forEach((c) => (document.cookie = `${c.split('=')[0].trim()}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`))
})

test('clicking Buy sends purchase to GA4 with the order value', async () => {
  const t = createTestZaraz({ config })
  renderCheckout(t.zaraz)
  document.getElementById('buy')!.click()
  await t.settle()

  const hit = new URL(t.requests.find((r) => r.url.includes('google-analytics.com/g/collect'))!.url)
  expect(hit.searchParams.get('en')).toBe('purchase')
  expect(hit.searchParams.get('tid')).toBe('G-SHOP123')
  expect(hit.searchParams.get('cu')).toBe('EUR')
  expect(hit.searchParams.get('epn.value')).toBe('59.9')
  expect(hit.searchParams.get('ep.transaction_id')).toBe('o-1001')
})

test('the debug record says why a tool did not get an event', async () => {
  const t = createTestZaraz({ config: { ...config, settings: { ecommerce: false } } })
  await t.zaraz.ecommerce('Order Completed', { order_id: 'o-1' })
  await t.settle()
  expect(t.requests).toEqual([])
  expect(t.records[0].decisions).toContainEqual({ tool: 'ga4', sent: false, reason: 'e-commerce is off in settings.ecommerce' })
})

test('a virtual pageview after navigation, and time moved by hand', async () => {
  const t = createTestZaraz({ config })
  await t.navigate('/checkout')
  const pageview = new URL(t.requests.at(-1)!.url)
  expect(pageview.searchParams.get('en')).toBe('page_view')
  expect(new URL(pageview.searchParams.get('dl')!).pathname).toBe('/checkout')
  t.advance(31 * 60 * 1000) // past GA4's 30-minute session
  await t.navigate('/thanks')
  expect(new URL(t.requests.at(-1)!.url).searchParams.get('_ss')).toBe('1')
})
