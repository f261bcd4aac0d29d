import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit, randomOf, text, timeOf, withQuery, type Params } from './lib/vendor'
import { uuid } from './lib/ids'
import { sha256 } from './lib/hash'

/** The permissions this tool needs when its config entry lists none (the client storage keeps the click id). */
export const permissions = ['access_client_kv', 'client_network_requests']

/** The pixel version (uwt.js) Zaraz's component announces. */
const VERSION = '2.3.29'

/** Every hit goes to both endpoints, as uwt.js sends it. */
const ENDPOINTS = ['https://analytics.twitter.com/i/adsct', 'https://t.co/i/adsct']

/** The click id's key: `_twclid`, one month (2,628,000,000 ms, as Zaraz's component keeps it). */
const CLICK_KEY = '_twclid'
const ONE_MONTH_MS = 2628000000

/** Fields sent as the SHA-256 of the trimmed, lower-cased value, never in clear. */
const HASHED = ['email_address', 'phone_number']

/** The click id kept under `_twclid`: URL-encoded JSON, as uwt.js writes it. */
function keptClick(client: Client): string | undefined {
  const kept = client.get(CLICK_KEY)
  if (!kept) return undefined
  try {
    const twclid = JSON.parse(decodeURIComponent(kept))?.twclid
    return twclid ? String(twclid) : undefined
  } catch {
    // Not ours: no click id.
    return undefined
  }
}

/**
 * X (Twitter) Pixel, as Zaraz's component sends it: for each pageview and each `conversion`
 * action, a `no-cors` GET (with the visitor's X cookies) to `analytics.twitter.com/i/adsct` and
 * to `t.co/i/adsct`, carrying uwt.js's standard parameters, the action's fields (`txn_id`, the pixel
 * or event id, `tw_sale_amount`…), hashed `email_address` / `phone_number`, and the click id
 * `twclid` of the landing URL, kept one month in `_twclid`.
 */
export default function twitter(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  const send = async (client: Client, payload: Params, pageview: boolean) => {
    const fields: Params = { ...payload }
    // The pixel id is a field of each action in Zaraz's tool; a `txn_id` setting serves as the default.
    if (!fields.txn_id) fields.txn_id = settings.txn_id
    if (!fields.txn_id) return
    const q: Params = {
      type: 'javascript',
      version: VERSION,
      p_id: 'Twitter',
      p_user_id: 0,
      tw_sale_amount: 0,
      tw_order_quantity: 0,
      tw_iframe_status: 0,
      tpx_cb: 'twttr.conversion.loadPixels',
      tw_document_href: client.url.href,
    }
    // Fields replace a standard parameter of the same name in its place, as in Zaraz's component.
    for (const k of Object.keys(fields)) if (!HASHED.includes(k) && k.indexOf('__') != 0) q[k] = fields[k]
    for (const k of HASHED) if (fields[k]) q[k] = await sha256(text(fields[k]))
    if (pageview) {
      q.events = '[["pageview", null]]'
      q.event_id = fields.event_id || uuid(random)
    }
    const fromUrl = client.url.searchParams.get('twclid')
    if (fromUrl) {
      const kept = encodeURIComponent(JSON.stringify({ pixelVersion: VERSION, timestamp: timeOf(client), twclid: fromUrl, source: 1 }))
      client.set(CLICK_KEY, kept, { scope: 'infinite', expiry: ONE_MONTH_MS })
    }
    const twclid = fromUrl || keptClick(client)
    // clid_src: 1 when the click id comes from the URL, 2 when from the kept one.
    if (twclid) {
      q.clid_src = fromUrl ? 1 : 2
      q.twclid = twclid
    }
    for (const endpoint of ENDPOINTS) hit(client, withQuery(endpoint, Object.entries(q)))
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, payload ?? {}, true))
  manager.addEventListener('conversion', ({ client, payload }: MCEvent) => send(client, payload ?? {}, false))
}
