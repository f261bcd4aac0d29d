import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { eventFields } from './lib/fields'
import { uuid } from './lib/ids'
import { consentModeState, hit, randomOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://bat.bing.com/action/0'
const CLICK_ID = 'msclkid'
/** The click id's lifetime, as the official component keeps it: three months. */
const THREE_MONTHS_MS = 7_884_000_000

/** A product list as UET's event label: the products' names, comma separated. */
const names = (e: Params) => (Array.isArray(e.products) ? e.products.map((p: Params) => p?.name).join() : '')

/**
 * UET's e-commerce parameters for a Zaraz e-commerce call, as the official component maps them:
 * `ea` the action (`purchase`, `add_to_cart`, `begin_checkout`, `subscribe`, else the name itself),
 * `el` the label, `ev` the value, `gv` the revenue and `gc` its currency. (`||` as there: a 0 or an
 * empty value falls through to the next field.)
 */
function ecommerceParams(name: string, e: Params): Params {
  const revenue = e.revenue || e.total || e.value
  const out: Params = { ec: 'ecommerce', gc: e.currency, gv: revenue }
  if (name == 'Order Completed' || name == 'Subscribe') {
    out.ea = name == 'Subscribe' ? 'subscribe' : 'purchase'
    out.el = e.order_id || e.checkout_id || e.product_id
    out.ev = revenue
  } else if (name == 'Product Added') {
    out.ea = 'add_to_cart'
    out.el = e.name || e.product_id || e.sku || names(e)
    out.ev = e.price || e.total || e.value
    out.gv = e.price || revenue
  } else if (name == 'Checkout Started') {
    out.ea = 'begin_checkout'
    out.el = e.checkout_id || e.order_id || e.product_id
    out.ev = revenue
  } else {
    out.ea = name
    out.el = e.order_id || e.checkout_id || e.product_id || e.name || names(e)
    out.ev = revenue || e.price
  }
  return out
}

/**
 * Microsoft Advertising UET (Bing), as the official component sends it from the browser: a GET to
 * `bat.bing.com/action/0` per event, `evt=pageLoad` for pageviews and `evt=custom` for events and
 * e-commerce. The click id `msclkid` from the landing URL is kept three months and sent with a
 * suffix: `-1` a new click, `-0` the kept one again, `N` alone when there is none.
 * With Consent Mode `ad_storage` denied (UET Consent Mode), no click id is read or written (the
 * landing URL's is still sent), the hit carries no cookies, and `asc` says the state.
 */
export default function bing(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  const clickId = (client: Client, denied: boolean) => {
    const fromUrl = client.url.searchParams.get(CLICK_ID)
    const kept = denied ? undefined : client.get(CLICK_ID)
    if (!fromUrl) return kept ? `${kept}-N` : 'N'
    if (!denied) client.set(CLICK_ID, fromUrl, { scope: 'infinite', expiry: THREE_MONTHS_MS })
    return `${fromUrl}-${fromUrl === kept ? 0 : 1}`
  }

  const send = (client: Client, evt: 'pageLoad' | 'custom', fields: Params, consent: Params, ecommerce?: Params) => {
    const state = consentModeState(consent)
    const denied = state?.ad_storage == 'denied'
    // The event's fields first, then UET's own (a `ti` field re-points the hit, as in the official component).
    const query: Params = {
      ...fields,
      evt,
      ti: fields.ti || settings.ti,
      tl: client.title,
      rn: Math.floor(random() * 1_000_000),
      sw: client.screenWidth,
      sh: client.screenHeight,
      lg: client.language.split(',')[0].trim(),
      p: client.url.href,
      Ver: 2,
      mid: uuid(random),
      ...ecommerce,
    }
    query.msclkid = clickId(client, denied)
    if (state?.ad_storage) query.asc = denied ? 'D' : 'G'
    hit(client, withQuery(ENDPOINT, Object.entries(query)), 'GET', denied ? 'omit' : 'include')
  }

  // Consent Mode state travels in the payload; it is never sent as a field.
  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, 'pageLoad', eventFields(payload), payload ?? {}))
  manager.addEventListener('event', ({ client, payload }: MCEvent) => send(client, 'custom', eventFields(payload), payload ?? {}))
  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const e: Params = payload?.ecommerce ?? {}
    // As the official component: the e-commerce parameters (without `products`) are the fields.
    const { products: _p, ...fields } = e
    send(client, 'custom', fields, payload ?? {}, ecommerceParams(String(name ?? ''), e))
  })
}
