import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { productsOf, randomOf, text, timeOf, type Params } from './lib/vendor'
import { days, keptClickId } from './lib/ids'
import { sha256 } from './lib/hash'

/** The permissions this tool needs when its config entry lists none (the client storage keeps the click id). */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these events from its servers: an export's `server_network_requests` covers them (docs/tools/tiktok.md). */
export const sentFromServer = true

/** The browser pixel's endpoint (events.js); the Events API needs a server access token. */
const ENDPOINT = 'https://analytics.tiktok.com/api/v2/pixel'

/** Zaraz e-commerce names → TikTok standard events, as Zaraz's component maps them. Other names are sent as they are. */
const EVENTS: Record<string, string> = {
  'Order Completed': 'CompletePayment',
  'Product Added': 'AddToCart',
  'Products Searched': 'Search',
  'Checkout Started': 'InitiateCheckout',
  'Payment Info Entered': 'AddPaymentInfo',
  'Product Added to Wishlist': 'AddToWishlist',
  'Product Viewed': 'ViewContent',
}

/** User fields: sent in `context.user`, these as the SHA-256 of the trimmed, lower-cased value, never in clear. */
const HASHED = ['email', 'phone', 'external_id']
/** `phone_number` is the Events API v1 name of `phone`. */
const USER = [...HASHED, 'phone_number', 'ttp', 'locale']

/** Fields with a meaning of their own, or secrets and settings that never travel as properties. */
const RESERVED = [...USER, 'ev', 'cev', 'event_id', 'ldu', 'ttclid', 'pixelCode', 'accessToken', 'testKey', 'hideClientIP', 'ecommerce', 'name']

/** `contents` for an e-commerce call: one entry per product, with the fields it has (Zaraz's component's mapping). */
function contentsOf(e: Params): Params[] {
  return productsOf(e).map((p) => {
    const c: Params = {}
    const quantity = p.quantity || e.quantity
    const price = p.price || e.price
    const id = p.sku || p.product_id || e.sku || e.product_id
    const category = p.category || e.category
    const name = p.name || e.name
    const brand = p.brand || e.brand
    if (quantity) c.quantity = Math.floor(Number(quantity)) || 1
    if (price) c.price = Number(price)
    if (id) c.content_id = String(id)
    if (category) c.content_category = String(category)
    if (name) c.content_name = String(name)
    if (brand) c.brand = String(brand)
    return c
  })
}

/** TikTok's e-commerce properties: value = revenue > total > value > price (Zaraz's component's order). */
function ecommerceProperties(name: string, e: Params): Params {
  const contents = contentsOf(e)
  const value = e.revenue || e.total || e.value || e.price
  return {
    value: value === undefined ? undefined : Number(value),
    currency: e.currency,
    contents,
    content_type: contents.some((c) => c.content_id) ? 'product' : undefined,
    query: name == 'Products Searched' ? e.query : undefined,
    order_id: e.order_id,
  }
}

/**
 * TikTok Pixel, browser half: the events Zaraz's component sends to TikTok's Events API from its
 * servers (with an access token, which must never reach a browser) are sent as TikTok's own
 * events.js sends them, a `no-cors` JSON POST to `analytics.tiktok.com/api/v2/pixel`: the event
 * (`ViewContent` for pageviews, as Zaraz's component names them), its id, the page, the pixel code,
 * hashed user data, the click id `ttclid` (from the landing URL, kept 28 days) and the properties.
 */
export default function tiktok(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  /** The last hit's promise: hits leave in event order even while one waits for its hashes. */
  let last: Promise<unknown> = Promise.resolve()

  const send = (client: Client, event: unknown, payload: Params, properties: Params) => {
    const pixel = payload.pixelCode || settings.pixelCode
    if (!pixel || !event) return
    const ttclid = keptClickId(client, 'ttclid', 'ttclid', days(28))
    const body = {
      event,
      // An empty event_id field (a template that found nothing) is no id: one is made, as Zaraz's component does.
      event_id: String(payload.event_id || Math.round(random() * 1e17)),
      timestamp: new Date(timeOf(client)).toISOString(),
      context: {
        ad: ttclid ? { callback: ttclid } : undefined,
        page: { url: client.url.href, referrer: client.referer },
        pixel: { code: String(pixel) },
        user: {} as Params,
      },
      properties,
      limited_data_use: payload.ldu,
    }
    // Hashing is asynchronous: start it now, send once it and every earlier hit are done.
    const user = Promise.all(
      USER.filter((k) => payload[k]).map(async (k): Promise<[string, unknown]> => {
        const key = k == 'phone_number' ? 'phone' : k
        const value = HASHED.includes(key) ? await sha256(text(payload[k])).catch(() => undefined) : payload[k]
        return [key, value]
      }),
    )
    const sent = last.then(() => user).then((pairs) => {
      for (const [k, v] of pairs) body.context.user[k] = v
      client.fetch(ENDPOINT, { method: 'POST', mode: 'no-cors', credentials: 'include', keepalive: true, body: JSON.stringify(body) })
    })
    // A hit that failed is the host's to report (through `sent`); it never holds back the next ones.
    last = sent.catch(() => undefined)
    return sent
  }

  /** The fields of an action that are not reserved: the event's properties. */
  const fieldsOf = (payload: Params): Params => {
    const out: Params = {}
    for (const k of Object.keys(payload)) if (!RESERVED.includes(k) && k.indexOf('__') != 0) out[k] = payload[k]
    return out
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => {
    const p: Params = payload ?? {}
    return send(client, 'ViewContent', p, fieldsOf(p))
  })
  const onEvent = ({ client, payload, name, type }: MCEvent) => {
    const p: Params = payload ?? {}
    return send(client, p.ev || p.cev || name || type, p, fieldsOf(p))
  }
  manager.addEventListener('event', onEvent)
  // Zaraz's component takes this action type too.
  manager.addEventListener('custom-event', onEvent)
  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    const e: Params = (p.ecommerce as Params) ?? {}
    const n = name ?? ''
    return send(client, EVENTS[n] ?? n, p, { ...fieldsOf(p), ...ecommerceProperties(n, e) })
  })
}
