import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { randomOf, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none (Zaraz's tool sends from the browser too). */
export const permissions = ['access_client_kv', 'client_network_requests']

const API = 'https://api2.branch.io/'
const SDK_VERSION = '2.71.0'

/** Zaraz e-commerce names → Branch standard events. Other names are not sent. */
const EVENTS: Record<string, string> = {
  'Product Added': 'ADD_TO_CART',
  'Product Added to Wishlist': 'ADD_TO_WISHLIST',
  'Cart Viewed': 'VIEW_CART',
  'Checkout Started': 'INITIATE_PURCHASE',
  'Payment Info Entered': 'ADD_PAYMENT_INFO',
  'Clicked Promotion': 'CLICK_AD',
  'Viewed Promotion': 'VIEW_AD',
  'Product List Viewed': 'VIEW_ITEMS',
  'Product Viewed': 'VIEW_ITEM',
  'Products Searched': 'SEARCH',
}

/**
 * How a value is checked before Branch gets it: Branch's name for it, the types it may have
 * (`typeof` names) and an optional rule (`+` not negative, `date` a timestamp, or the name of a
 * list of allowed values).
 */
type Rule = [name: string, types: string, check?: string]

/** E-commerce fields → Branch's `event_data` (the official component's table). */
const EVENT_DATA: Record<string, Rule> = {
  order_id: ['transaction_id', 'string number'],
  transaction_id: ['transaction_id', 'string number'],
  affiliation: ['affiliation', 'string'],
  revenue: ['revenue', 'number'],
  shipping: ['shipping', 'number'],
  tax: ['tax', 'number', '+'],
  coupon: ['coupon', 'string'],
  currency: ['currency', 'string'],
  description: ['description', 'string'],
  search_query: ['search_query', 'string'],
}

const CATEGORIES =
  'ANIMALS_AND_PET_SUPPLIES APPAREL_AND_ACCESSORIES ARTS_AND_ENTERTAINMENT BABY_AND_TODDLER BUSINESS_AND_INDUSTRIAL CAMERAS_AND_OPTICS ELECTRONICS FOOD_BEVERAGES_AND_TOBACCO FURNITURE HARDWARE HEALTH_AND_BEAUTY HOME_AND_GARDEN LUGGAGE_AND_BAGS MATURE MEDIA OFFICE_SUPPLIES RELIGIOUS_AND_CEREMONIAL SOFTWARE SPORTING_GOODS TOYS_AND_GAMES VEHICLES_AND_PARTS'.split(' ')
const SCHEMAS =
  'COMMERCE_AUCTION COMMERCE_BUSINESS COMMERCE_OTHER COMMERCE_PRODUCT COMMERCE_RESTAURANT COMMERCE_SERVICE COMMERCE_TRAVEL_FLIGHT COMMERCE_TRAVEL_HOTEL COMMERCE_TRAVEL_OTHER GAME_STATE MEDIA_IMAGE MEDIA_MIXED MEDIA_MUSIC MEDIA_OTHER MEDIA_VIDEO OTHER TEXT_ARTICLE TEXT_BLOG TEXT_OTHER TEXT_RECIPE TEXT_REVIEW TEXT_SEARCH_RESULTS TEXT_STORY TEXT_TECHNICAL_DOC'.split(' ')
const LISTS: Record<string, string[]> = { category: CATEGORIES, schema: SCHEMAS }

/** Product fields → Branch's content item fields: Zaraz's names, and Branch's own `$` names as they are. */
const ITEM: Record<string, Rule> = {
  sku: ['$sku', 'string number'],
  category: ['$product_category', 'string', 'category'],
  brand: ['$product_brand', 'string'],
  name: ['$product_name', 'string'],
  variant: ['$product_variant', 'string'],
  price: ['$price', 'string number'],
  quantity: ['$quantity', 'string number', '+'],
}
for (const [name, types, check] of [
  ['$content_schema', 'string', 'schema'],
  ['$og_title', 'string'],
  ['$og_description', 'string'],
  ['$og_image_url', 'string'],
  ['$canonical_identifier', 'string'],
  ['$publicly_indexable', 'boolean'],
  ['$locally_indexable', 'boolean'],
  ['$price', 'string number'],
  ['$quantity', 'number', '+'],
  ['$sku', 'string number'],
  ['$product_name', 'string'],
  ['$product_brand', 'string'],
  ['$product_category', 'string', 'category'],
  ['$product_variant', 'string'],
  ['$rating_average', 'string number'],
  ['$rating_count', 'number', '+'],
  ['$rating_max', 'string number'],
  ['$creation_timestamp', 'number', 'date'],
  ['$exp_date', 'number', 'date'],
  ['$keywords', 'string number object'],
  ['$address_street', 'string'],
  ['$address_city', 'string'],
  ['$address_region', 'string'],
  ['$address_country', 'string'],
  ['$address_postal_code', 'string'],
  ['$latitude', 'number'],
  ['$longitude', 'number'],
  ['$image_captions', 'string number object'],
  ['$condition', 'string'],
  ['$custom_fields', 'string number object'],
])
  ITEM[name] = [name, types, check]

const has = (table: Record<string, Rule>, key: string) => Object.prototype.hasOwnProperty.call(table, key)

/** A value worth sending: not missing, not NaN, not an empty array or object. */
const isValue = (v: unknown) =>
  v !== null && v !== undefined && !(typeof v == 'number' && isNaN(v)) && !(Array.isArray(v) && !v.length) && !(typeof v == 'object' && !Object.keys(v as object).length)

/**
 * The value as Branch takes it, or undefined, by the official component's rules: a value of an
 * allowed type passes its check; another type becomes a string where strings are allowed, else
 * a parsed integer (the check is not applied then).
 */
function checked(v: unknown, [, types, check]: Rule): unknown {
  if (types.split(' ').includes(typeof v)) {
    if (!check) return v
    if (LISTS[check]) return typeof v == 'string' && LISTS[check].includes(v) ? v : undefined
    if (check == 'date') return new Date(parseInt(String(v))).valueOf() >= 0 ? v : undefined
    return typeof v == 'number' && v >= 0 ? v : undefined
  }
  if (types.includes('string')) return String(v)
  if (types.includes('number') && !isNaN(parseInt(String(v)))) return parseInt(String(v))
}

/** The fields of `o` that `table` names, under Branch's names (a later field of the same name wins). */
const mapped = (o: Params, table: Record<string, Rule>) => {
  const out: Params = {}
  for (const k of Object.keys(o)) if (isValue(o[k]) && has(table, k)) out[table[k][0]] = checked(o[k], table[k])
  return out
}

/**
 * Branch, as the official component sends it from the browser: form-encoded POSTs to Branch's API
 * (`/v1/pageview`, `/v1/profile`, `/v1/logout`, `/v2/event/standard`, `/v2/event/custom`). The
 * browser ids `identity_id`, `browser_fingerprint_id` (kept) and `session_id` (this browser
 * session) are random 14-digit numbers in the tool's client storage, as the component keeps them.
 */
export default function branch(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const key = String(settings.branchKey ?? '')

  /** The id kept under `name`, made the first time: a 14-digit number as Branch's SDK makes them. */
  const kept = (client: Client, name: string, scope?: 'session') => {
    const id = client.get(name)
    if (id) return id
    const made = String(Math.ceil(random() * 1e13 + 1e13))
    client.set(name, made, { scope: scope || 'infinite' })
    return made
  }

  /** The body every `/v1` call starts with. */
  const generic = (client: Client): Params => {
    const identity = client.get('identity')
    const body: Params = {
      sdk: 'web' + SDK_VERSION,
      branch_key: key,
      identity_id: kept(client, 'identity_id'),
      browser_fingerprint_id: kept(client, 'browser_fingerprint_id'),
      session_id: kept(client, 'session_id', 'session'),
    }
    if (identity) body.identity = identity
    return body
  }

  /** `user_data` of the `/v2` events, as JSON. */
  const userData = (client: Client) => {
    const { browser_fingerprint_id, identity } = generic(client)
    return JSON.stringify({
      http_origin: client.url.origin,
      user_agent: client.userAgent,
      language: client.language,
      screen_width: client.screenWidth,
      screen_height: client.screenHeight,
      http_referrer: client.referer,
      browser_fingerprint_id,
      identity,
      developer_identity: identity,
      sdk: 'web',
      sdk_version: SDK_VERSION,
    })
  }

  // A simple request (a form body, no custom header): no CORS preflight, as Branch's web SDK sends them.
  const send = (client: Client, path: string, body: Params) => {
    const form = new URLSearchParams()
    for (const k of Object.keys(body)) if (body[k] !== undefined) form.append(k, String(body[k]))
    client.fetch(API + path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() })
  }

  manager.addEventListener('pageview', ({ client }: MCEvent) =>
    send(client, 'v1/pageview', {
      ...generic(client),
      source: 'web-sdk',
      feature: 'journeys',
      event: 'pageview',
      metadata: JSON.stringify({
        url: client.url.href,
        user_agent: client.userAgent,
        language: client.language,
        screen_width: client.screenWidth,
        screen_height: client.screenHeight,
        title: client.title,
      }),
      initial_referrer: client.referer,
      user_language: client.language.split('-')[0],
    }),
  )

  manager.addEventListener('identify', ({ client, payload }: MCEvent) => {
    const identity = payload?.identity
    client.set('identity', identity)
    send(client, 'v1/profile', { ...generic(client), identity })
  })

  manager.addEventListener('logout', ({ client }: MCEvent) => {
    client.set('identity', null)
    send(client, 'v1/logout', generic(client))
  })

  manager.addEventListener('lifecycle_event', ({ client, payload }: MCEvent) => {
    const { timestamp: _t, lifecycle_event_name, transaction_id, description, ...custom }: Params = payload ?? {}
    send(client, 'v2/event/standard', {
      name: lifecycle_event_name,
      user_data: userData(client),
      custom_data: JSON.stringify(custom),
      event_data: JSON.stringify({ transaction_id, description }),
      branch_key: key,
    })
  })

  manager.addEventListener('custom_event', ({ client, payload }: MCEvent) => {
    const { timestamp: _t, custom_event_name, ...custom }: Params = payload ?? {}
    send(client, 'v2/event/custom', { name: custom_event_name, user_data: userData(client), custom_data: JSON.stringify(custom), branch_key: key })
  })

  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    const event = EVENTS[String(p.name ?? name)]
    if (!event) return
    const { products, timestamp: _t, __zarazEcommerce: _z, ...fields }: Params = (p.ecommerce as Params) ?? {}
    const custom: Params = {}
    for (const k of Object.keys(fields)) if (isValue(fields[k]) && !has(EVENT_DATA, k)) custom[k] = fields[k]
    const items = (Array.isArray(products) ? products : []).filter((x) => x && typeof x == 'object').map((x) => mapped(x, ITEM))
    send(client, 'v2/event/standard', {
      name: event,
      user_data: userData(client),
      event_data: JSON.stringify(mapped(fields, EVENT_DATA)),
      custom_data: JSON.stringify(custom),
      content_items: JSON.stringify(items),
      branch_key: key,
    })
  })
}
