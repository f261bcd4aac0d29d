import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { productsOf, randomOf, text, timeOf, withQuery, type Params } from './lib/vendor'
import { sha256 } from './lib/hash'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these hits from its servers: an export's `server_network_requests` covers them (docs/tools/facebook-pixel.md). */
export const sentFromServer = true

const ENDPOINT = 'https://www.facebook.com/tr/'
const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000

/** Zaraz e-commerce names → Meta standard events. Other names are sent as custom events. */
const EVENTS: Record<string, string> = {
  'Order Completed': 'Purchase',
  'Product Added': 'AddToCart',
  'Products Searched': 'Search',
  'Checkout Started': 'InitiateCheckout',
  'Payment Info Entered': 'AddPaymentInfo',
  'Product Added to Wishlist': 'AddToWishlist',
  'Product Viewed': 'ViewContent',
}

/** Advanced-matching fields: sent as `ud[<key>]`, SHA-256 of the trimmed lower-cased value, never in clear. */
const USER_DATA = ['em', 'ph', 'fn', 'ln', 'db', 'ge', 'ct', 'st', 'zp', 'country', 'external_id']

/** Fields with a meaning of their own: not custom data. */
const RESERVED = ['ev', 'event_id', 'ecommerce', ...USER_DATA]

/** A product's id for Meta: its `sku`, else (also when the sku is empty) its `product_id`. */
const idOf = (p: Params) => String(p.sku || p.product_id || '')

/** `cd[…]` parameters for an e-commerce call, as Meta's standard events expect them. */
function ecommerceData(name: string, e: Params): Params {
  const products = productsOf(e)
  const cd: Params = {
    currency: e.currency,
    // Meta's own order (REFERENCE.md, the Zaraz component): value > price > total > revenue.
    value: e.value ?? e.price ?? e.total ?? e.revenue,
    content_type: 'product',
    content_ids: products.map(idOf).filter(Boolean),
    contents: products.map((p) => ({ id: idOf(p), quantity: p.quantity ?? 1, item_price: p.price })),
    content_name: products.map((p) => p.name).filter(Boolean).join(',') || undefined,
    content_category: e.category,
    order_id: e.order_id,
  }
  if (name == 'Checkout Started' || name == 'Order Completed') cd.num_items = products.reduce((n, p) => n + (Number(p.quantity) || 1), 0)
  if (name == 'Products Searched') cd.search_string = e.query
  return cd
}

/**
 * Meta (Facebook) Pixel through the browser pixel endpoint, as fbevents.js sends it: an image
 * request to `https://www.facebook.com/tr/` per event. The browser id lives in the `_fbp` cookie
 * (`fb.1.<ms>.<random>`), the click id from `fbclid` in `_fbc` (`fb.1.<ms>.<fbclid>`), 90 days each.
 * The Conversions API (server, access token) is not used: a token must never reach the browser.
 */
export default function facebookPixel(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const pixel = String(settings.property ?? '')
  let count = 0

  const ids = (client: Client, now: number) => {
    let fbp = client.get('_fbp')
    if (!fbp) fbp = `fb.1.${now}.${Math.floor(random() * 2147483647) + 1}`
    client.set('_fbp', fbp, { scope: 'infinite', expiry: NINETY_DAYS_MS })
    let fbc = client.get('_fbc')
    const fbclid = client.url.searchParams.get('fbclid')
    if (fbclid && fbc?.split('.').slice(3).join('.') != fbclid) {
      fbc = `fb.1.${now}.${fbclid}`
      client.set('_fbc', fbc, { scope: 'infinite', expiry: NINETY_DAYS_MS })
    }
    return { fbp, fbc }
  }

  /** The last hit's promise: hits leave in event order even while one waits for its hashes. */
  let last: Promise<unknown> = Promise.resolve()

  const send = (client: Client, ev: string, payload: Params, data: Params) => {
    if (!pixel || !ev) return
    const now = timeOf(client)
    const { fbp, fbc } = ids(client, now)
    // An empty event_id field (a template that found nothing) is no id: one is made.
    const eid = payload.event_id || `${now}.${Math.floor(random() * 1e9)}`
    const cd: Array<[string, unknown]> = []
    for (const k of Object.keys(payload)) if (!RESERVED.includes(k) && k.indexOf('__') != 0) cd.push([`cd[${k}]`, payload[k]])
    for (const k of Object.keys(data)) {
      const v = data[k]
      if (v !== undefined && !(Array.isArray(v) && !v.length)) cd.push([`cd[${k}]`, v])
    }
    const head: Array<[string, unknown]> = [
      ['id', pixel],
      ['ev', ev],
      ['dl', client.url.href],
      ['rl', client.referer],
      ['if', false],
      ['ts', now],
      ['sw', client.screenWidth],
      ['sh', client.screenHeight],
      ['ec', count++],
      ['fbp', fbp],
      ['fbc', fbc],
      ['eid', eid],
      ...cd,
    ]
    // Hashing is asynchronous: start it now, send once it and every earlier hit are done.
    const ud = Promise.all(
      USER_DATA.filter((k) => payload[k]).map((k) => sha256(text(payload[k])).catch(() => undefined).then((h): [string, unknown] => [`ud[${k}]`, h])),
    )
    const sent = last.then(() => ud).then((ud) => {
      const url = withQuery(ENDPOINT, [...head, ...ud])
      const image = manager.ext?.image as ((url: string, client?: Client) => unknown) | undefined
      if (image) image(url, client)
      else client.fetch(url, { mode: 'no-cors', credentials: 'include', keepalive: true })
    })
    // A hit that failed is the host's to report (through `sent`); it never holds back the next ones.
    last = sent.catch(() => undefined)
    return sent
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, 'PageView', payload ?? {}, {}))
  manager.addEventListener('event', ({ client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    return send(client, String(p.ev || name || ''), p, {})
  })
  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const e: Params = (payload?.ecommerce as Params) ?? {}
    const { ecommerce: _e, name: _n, ...rest } = payload ?? {}
    if (e.event_id !== undefined) rest.event_id = e.event_id
    return send(client, EVENTS[name ?? ''] ?? String(name ?? ''), rest, ecommerceData(name ?? '', e))
  })
}
