/**
 * Small helpers the vendor tools share. Each tool file is built into its own chunk, so what a
 * tool imports from here is copied into that tool's chunk only (never into the core bundle).
 */
import { gcs, type ConsentModeState } from '../../consent/google'
import type { Client, Manager } from '../../types/mc'

/** Zaraz e-commerce names → the Google (GA4 / gtag) event names. Segment's promotion spellings too. */
export const GOOGLE_EVENTS: Record<string, string> = {
  'Product Added': 'add_to_cart',
  'Product Added to Wishlist': 'add_to_wishlist',
  'Product Removed': 'remove_from_cart',
  'Product Clicked': 'select_item',
  'Product Viewed': 'view_item',
  'Cart Viewed': 'view_cart',
  'Product List Viewed': 'view_item_list',
  'Products Searched': 'view_search_results',
  'Clicked Promotion': 'select_promotion',
  'Promotion Clicked': 'select_promotion',
  'Viewed Promotion': 'view_promotion',
  'Promotion Viewed': 'view_promotion',
  'Checkout Started': 'begin_checkout',
  'Checkout Step Completed': 'checkout_progress',
  'Payment Info Entered': 'add_payment_info',
  'Shipping Info Entered': 'add_shipping_info',
  'Order Completed': 'purchase',
  'Order Refunded': 'refund',
}

export type Params = Record<string, unknown>

/** The e-commerce value: `total` (with discounts) > `value` > `revenue` > `price`. */
export const ecommerceValue = (e: Params): unknown => e.total ?? e.value ?? e.revenue ?? e.price

/** The products of an e-commerce call: its `products`, or the call itself when it describes one product. */
export function productsOf(e: Params): Params[] {
  if (Array.isArray(e.products)) return e.products.filter((p) => p && typeof p == 'object') as Params[]
  return e.product_id || e.sku || e.name ? [e] : []
}

/** A query-string value: objects as JSON, the rest as text. */
export const text = (v: unknown): string => (typeof v == 'object' && v !== null ? JSON.stringify(v) : String(v))

/** Builds `url?k=v&…` from ordered pairs, leaving out `undefined`, `null` and empty strings. */
export function withQuery(base: string, params: Array<[string, unknown]>): string {
  const q = new URLSearchParams()
  for (const [k, v] of params) if (v !== undefined && v !== null && v !== '') q.append(k, text(v))
  const s = q.toString()
  return s ? `${base}?${s}` : base
}

/** The host's random source when it offers one (tagrelay does; fixed in tests), else Math.random. */
export const randomOf = (manager: Manager): (() => number) =>
  typeof manager.ext?.random == 'function' ? (manager.ext.random as () => number) : Math.random

/** The event time in ms (the client's timestamp, set by the host when the event was tracked). */
export const timeOf = (client: Client): number => client.timestamp || Date.now()

/**
 * Sends a vendor hit the way vendor snippets do from the browser: a `no-cors` request carrying
 * the vendor's cookies, kept alive past page unload by the transport.
 */
export function hit(client: Client, url: string, method: 'GET' | 'POST' = 'GET', credentials: RequestCredentials = 'include'): void {
  client.fetch(url, { method, mode: 'no-cors', credentials, keepalive: true })
}

/**
 * Google Consent Mode, as the consent gate hands it to Google tools (`google_consent_default`,
 * `google_consent_update` in the payload): the `gcs` parameter (`G1` + ad_storage + analytics_storage,
 * 1 granted / 0 denied), or undefined when the page has no Consent Mode state.
 */
export function consentModeParam(payload: Params): string | undefined {
  const s = consentModeState(payload)
  return s && gcs(s)
}

/** The page's Consent Mode state (the default, then the update over it), or undefined without one. */
export function consentModeState(payload: Params): ConsentModeState | undefined {
  const d = payload.google_consent_default as ConsentModeState | undefined
  const u = payload.google_consent_update as ConsentModeState | undefined
  return d || u ? { ...d, ...u } : undefined
}

/** The payload keys that carry Consent Mode state: never sent as event parameters. */
export const CONSENT_MODE_KEYS = ['google_consent_default', 'google_consent_update']
