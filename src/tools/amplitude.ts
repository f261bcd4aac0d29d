import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { randomOf, timeOf, type Params } from './lib/vendor'
import { uuid } from './lib/ids'
import { parseUserAgent } from './lib/user-agent'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these events from its servers: an export's `server_network_requests` covers them (docs/tools/amplitude.md). */
export const sentFromServer = true

const US = 'https://api2.amplitude.com/2/httpapi'
const EU = 'https://api.eu.amplitude.com/2/httpapi'

/** Amplitude's revenue types for the two transaction events. */
const REVENUE_TYPES: Record<string, string> = { 'Order Completed': 'Purchase', 'Order Refunded': 'Refund' }

/** Optional event fields copied to the top of the event when set (they stay in `event_properties` too). */
const TOP_LEVEL = ['app_version', 'insert_id', 'revenue', 'revenueType', 'productId', 'quantity']

/**
 * Amplitude through its HTTP API v2, as the official component sends it: one
 * `POST https://api2.amplitude.com/2/httpapi` per event (`api.eu.amplitude.com` with EU data
 * residency). From the browser it is a CORS request with the JSON content type, as Amplitude's
 * browser SDK sends it. The device id (a random UUID, kept) and the session id (the session's
 * start in ms, this browser session) live in the tool's client storage, as the component keeps them.
 */
export default function amplitude(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  const deviceId = (client: Client, p: Params) => {
    let id = p.device_id || client.get('device_id')
    if (!id) {
      id = uuid(random)
      client.set('device_id', String(id), { scope: 'infinite' })
    }
    return id
  }

  const sessionId = (client: Client) => {
    let id = client.get('session_id')
    if (!id) {
      id = String(timeOf(client))
      client.set('session_id', id, { scope: 'session' })
    }
    return Number(id)
  }

  /** The event counter the official component keeps (it never sends it: see the doc). */
  const countEvent = (client: Client) => {
    const count = (parseInt(client.get('event_id') || '') || 1) + 1
    client.set('event_id', String(count), { scope: 'infinite' })
  }

  const send = (client: Client, eventType: unknown, payload: Params) => {
    const { eu_data: euField, ...p } = payload
    const ua = parseUserAgent(client.userAgent)
    countEvent(client)
    const eventProperties: Params = { url: client.url.href }
    const userProperties: Params = {}
    const groups: Params = {}
    const event: Params = {
      event_type: eventType,
      user_id: p.user_id || undefined,
      event_properties: eventProperties,
      user_properties: userProperties,
      groups,
      language: client.language,
      // Amplitude's word for "the address this request comes from": the visitor's own, from a browser.
      ip: '$remote',
      session_id: sessionId(client),
      os_name: ua.os.name,
      os_version: ua.os.version,
      device_manufacturer: ua.device.vendor,
      device_model: ua.device.model,
      device_id: deviceId(client, p),
    }
    for (const k of TOP_LEVEL) if (p[k]) event[k] = p[k]
    // `user_<name>` fields are user properties, `groups_<name>` fields groups, the others event properties.
    for (const k of Object.keys(p)) {
      if (k.indexOf('user_') == 0) userProperties[k.slice(5)] = p[k]
      else if (k.indexOf('groups_') == 0) groups[k.slice(7)] = p[k]
      else if (k.indexOf('__')) eventProperties[k] = p[k]
    }
    const body: Params = { api_key: settings.api_key }
    if (settings.min_id_length) body.options = { min_id_length: settings.min_id_length }
    body.events = [event]
    client.fetch(settings.eu_data || euField ? EU : US, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      keepalive: true,
    })
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send(client, 'pageview', payload ?? {}))
  manager.addEventListener('event', ({ client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    send(client, p.event_type || name, p)
  })
  manager.addEventListener('ecommerce', ({ client, payload, name }: MCEvent) => {
    const { ecommerce, ...rest }: Params = payload ?? {}
    const p: Params = { ...rest, ...(ecommerce as Params) }
    const products: Params[] = Array.isArray(p.products) ? p.products : []
    p.event_type = name
    p.productId = products.map((item) => item?.product_id).join()
    const quantity = products.reduce((sum, item) => sum + parseInt(String(item?.quantity)), 0)
    // (A product without a quantity makes the sum NaN: left out, where the official component sends null.)
    p.quantity ??= isNaN(quantity) ? undefined : quantity
    p.revenue = p.revenue || p.total || p.value
    if (REVENUE_TYPES[String(name)]) p.revenueType = REVENUE_TYPES[String(name)]
    send(client, name, p)
  })
}
