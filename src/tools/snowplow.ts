import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { randomOf, timeOf, type Params } from './lib/vendor'
import { uuid } from './lib/ids'

/** The permissions this tool needs when its config entry lists none (the official component's manifest lists none, but uses both). */
export const permissions = ['access_client_kv', 'client_network_requests']

/** The official component sends from the server (`manager.fetch`): an entry's `server_network_requests` covers these requests (docs/tools/snowplow.md). */
export const sentFromServer = true

const PAYLOAD_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4'
const CONTEXTS_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0'
const WEB_PAGE_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0'

/** The parts of the `id` value, in their order (dot-separated), as Snowplow's `_sp_id` cookie has them. */
const ID_PARTS = ['userId', 'created', 'visits', 'now', 'lastVisit', 'session', 'previousSession', 'firstEvent', 'firstEventTime', 'eventIndex'] as const
type Ids = Record<(typeof ID_PARTS)[number], string>

const YEAR_MS = 365 * 24 * 3600 * 1000
const SESSION_MS = 30 * 60 * 1000

/** The official component's four-letter hash of `host/`, which names the tool's two keys. */
function domainHash(text: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let hash = 0
  for (let i = 0; i < text.length; i++) hash += text.charCodeAt(i) * Math.pow(10, i)
  let out = ''
  for (let i = 0; i < 4; i++) {
    // (A hostname too long for the sum to stay finite gives no letters, as in the official component.)
    out += letters[hash % letters.length] ?? ''
    hash = Math.floor(hash / letters.length)
  }
  return out
}

/**
 * Snowplow, as the official component sends it: one `POST <endpoint>/com.snowplowanalytics.snowplow/tp2`
 * per event, a `payload_data` JSON body with a page view (`e=pv`) or a structured event (`e=se`,
 * category `ecom`). The visitor and session ids live in the tool's client storage under
 * `<namespace>_id.<hash>` and `<namespace>_ses.<hash>`, in the format of the JavaScript tracker's
 * `_sp_id` cookie. From the browser: a CORS request with the JSON content type and cookies, as the
 * JavaScript tracker sends it (collectors answer it).
 */
export default function snowplow(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const namespace = String(settings.namespace ?? '')
  const endpoint = String(settings.endpoint ?? '')
  // An endpoint written without its scheme, as the JavaScript tracker accepts it, is https.
  const collector = (/^https?:\/\//.test(endpoint) ? endpoint : 'https://' + endpoint).replace(/\/+$/, '') + '/com.snowplowanalytics.snowplow/tp2'

  /** The kept ids, moved on for this event: a new visit when the session key has expired. */
  const visit = (client: Client, idKey: string, sessionKey: string, now: number): Ids => {
    const seconds = String(Math.round(now / 1000))
    const kept = client.get(idKey) || ''
    const parts = kept.split('.')
    const fresh: Ids = { userId: '', created: seconds, visits: '0', now: seconds, lastVisit: '', session: '', previousSession: '', firstEvent: '', firstEventTime: '', eventIndex: '0' }
    const ids = {} as Ids
    ID_PARTS.forEach((name, i) => {
      ids[name] = parts[i] || fresh[name]
    })
    ids.userId ||= uuid(random)
    ids.session ||= uuid(random)
    const inSession = !!client.get(sessionKey)
    if (!inSession) ids.visits = String(Number(ids.visits || 0) + 1)
    if (!inSession && kept) {
      ids.lastVisit = ids.now
      ids.previousSession = ids.session
      ids.session = uuid(random)
      ids.firstEvent = ''
      ids.firstEventTime = ''
      ids.eventIndex = '0'
    }
    ids.now = seconds
    return ids
  }

  /** A page-scope value, set once per page (a later value does not replace it). */
  const pageValue = (client: Client, key: string, value: string | null) => {
    const current = client.get(key)
    if (current && current != 'null') return current
    client.set(key, value, { scope: 'page' })
    return value || ''
  }

  const track = (type: 'pageview' | 'event' | 'ecommerce', { client, payload, name }: MCEvent) => {
    const p: Params = payload ?? {}
    const fields: Params = type == 'ecommerce' ? ((p.ecommerce as Params) ?? {}) : p
    const now = timeOf(client)
    const hash = domainHash(client.url.hostname + '/')
    const idKey = `${namespace}_id.${hash}`
    const sessionKey = `${namespace}_ses.${hash}`
    const pageView = pageValue(client, 'pvid', uuid(random))
    const email = fields.customerEmail ?? null
    const user = pageValue(client, 'uid', email === null ? null : String(email))
    const ids = visit(client, idKey, sessionKey, now)
    const context = { schema: CONTEXTS_SCHEMA, data: [{ schema: WEB_PAGE_SCHEMA, data: { id: pageView } }] }
    const event: Params = {
      e: 'pv',
      duid: ids.userId,
      vid: ids.visits,
      sid: ids.session,
      cx: btoa(JSON.stringify(context)),
      url: client.url.href,
      refr: client.referer,
      uid: user,
      page: client.title,
      eid: uuid(random),
      tv: 'zaraz-1.0.0',
      tna: namespace,
      aid: settings.appId,
      p: settings.platform || 'web',
      cookie: '1',
      lang: client.language.split(',')[0],
      dtm: String(now),
      stm: String(now),
      cs: 'UTF-8',
      res: client.screenWidth ? `${client.screenWidth}x${client.screenHeight}` : undefined,
      vp: client.viewportWidth ? `${client.viewportWidth}x${client.viewportHeight}` : undefined,
    }
    if (type != 'pageview') {
      const value = fields.value || fields.price || fields.total || fields.revenue
      event.e = 'se'
      event.se_ac = type == 'ecommerce' ? name || p.name : fields.evt || name
      event.se_ca = 'ecom'
      event.se_la = fields.order_id || fields.product_id || fields.checkout_id
      event.se_pr = fields.currency
      event.se_va = value === undefined || value === null ? undefined : String(value)
    }
    // After the event: it is the latest one, and counted.
    ids.now = String(Math.round(now / 1000))
    ids.firstEvent = String(event.eid)
    ids.firstEventTime = String(event.dtm)
    ids.eventIndex = String(Number(ids.eventIndex || 0) + 1)
    client.set(idKey, ID_PARTS.map((name) => ids[name]).join('.'), { scope: 'infinite', expiry: YEAR_MS })
    client.set(sessionKey, '*', { scope: 'infinite', expiry: SESSION_MS })
    client.fetch(collector, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ schema: PAYLOAD_SCHEMA, data: [event] }),
      credentials: 'include',
      keepalive: true,
    })
  }

  manager.addEventListener('pageview', (event: MCEvent) => track('pageview', event))
  manager.addEventListener('event', (event: MCEvent) => track('event', event))
  manager.addEventListener('ecommerce', (event: MCEvent) => track('ecommerce', event))
}
