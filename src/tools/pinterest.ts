import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { eventFields } from './lib/fields'
import { sha256 } from './lib/hash'
import { hit, text, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

const ENDPOINT = 'https://ct.pinterest.com/v3/'

/** The action types the official component listens to besides `pageview`, each sent as the event of that name. */
const ACTIONS = ['lead', 'signup', 'watchvideo', 'viewcategory', 'custom', 'addtocart', 'checkout', 'search', 'user-defined-event']

/** Zaraz e-commerce names → Pinterest events. Other names are not sent. */
const ECOMMERCE: Record<string, string> = { 'Product Added': 'addtocart', 'Order Completed': 'checkout', 'Products Searched': 'search' }

/** Product fields sent as `product_<field>[<index>]`, each falling back to the product's `sku`. */
const PRODUCT_FIELDS = ['product_id', 'sku', 'category', 'name', 'brand', 'variant', 'price']

/** The event data of an e-commerce call, as the official component maps it. */
function ecommerceData(e: Params): Params {
  const out: Params = { order_id: e.order_id, currency: e.currency, value: e.revenue || e.total || e.value, order_quantity: e.quantity }
  const products: Params[] = Array.isArray(e.products) ? e.products : []
  products.forEach((p, i) => {
    for (const f of PRODUCT_FIELDS) out[`product_${f}[${i}]`] = p?.[f] || p?.sku
  })
  return out
}

/**
 * Pinterest Tag, as the official component sends it from the browser: a `no-cors` GET to
 * `ct.pinterest.com/v3/` per event, with the page in `ad` (JSON), the tag id `tid`, the `event`
 * and the event data in `ed` (JSON). A `pdem` e-mail is sent as `pd[em]`, SHA-256 hashed.
 */
export default function pinterest(manager: Manager, settings: ComponentSettings): void {
  /** The last hit's promise: hits leave in event order even while one waits for its hash. */
  let last: Promise<unknown> = Promise.resolve()

  const send = (type: string, client: Client, payload: Params, ecommerce?: Params) => {
    const { pdem, tid, ecommerce: _e, ...data } = eventFields(payload)
    if (ecommerce) Object.assign(data, ecommerceData(ecommerce))
    const page = { loc: client.url.href, ref: client.referer, if: false, sh: client.screenHeight?.toString(), sw: client.screenWidth?.toString(), mh: '2424edb5' }
    const head: Array<[string, unknown]> = [
      ['ad', JSON.stringify(page)],
      ['cb', timeOf(client)],
      ['tid', tid || settings.tid],
      // `ude`: the name of a user-defined event.
      ['event', payload.ude || type],
    ]
    const hashed = pdem ? sha256(text(pdem)) : Promise.resolve(undefined)
    const sent = last
      .then(() => hashed)
      .then((em) => {
        const tail: Array<[string, unknown]> = [['pd[em]', em], ['pd[tm]', payload.tm || 'pinterest-mc']]
        if (Object.keys(data).length) tail.push(['ed', JSON.stringify(data)])
        hit(client, withQuery(ENDPOINT, [...head, ...tail]))
      })
    // A hit that failed is the host's to report (through `sent`); it never holds back the next ones.
    last = sent.catch(() => undefined)
    return sent
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send('pageview', client, payload))
  for (const type of ACTIONS) manager.addEventListener(type, ({ client, payload }: MCEvent) => send(type, client, payload))
  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const event = ECOMMERCE[name ?? '']
    if (event) return send(event, client, payload, payload?.ecommerce ?? {})
  })
}
