import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { eventFields } from './lib/fields'
import { uuid } from './lib/ids'
import { randomOf, timeOf, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://us-central1-adaptive-growth.cloudfunctions.net/pdst-events-prod-sink'

/** A whole number as the official component reads the client's numbers (none: NaN, which JSON writes as null). */
const int = (v: unknown) => parseInt(String(v))

/**
 * Podsights (Spotify Ad Analytics), as the official component sends it from the browser: a JSON
 * POST of one batch per pageview and event to Podsights' collector, the event an `init` unless a
 * `PDST_name` field names it. The visitor id `pdst` is kept in client storage, the session id
 * `pdstSession` for the browser session.
 */
export default function podsights(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  /** The id kept under `key`, made the first time. */
  const kept = (client: Client, key: string, scope: 'infinite' | 'session') => {
    let id = client.get(key)
    if (!id) {
      id = uuid(random)
      client.set(key, id, { scope })
    }
    return id
  }

  const send = ({ client, payload }: MCEvent) => {
    const seconds = timeOf(client) / 1000
    const { PDST_name: action, ...fields } = eventFields(payload)
    const query = client.url.searchParams
    const page: Params = {
      url: client.url.href,
      referrer: client.referer || '',
      inIframe: false,
      windowWidth: int(client.viewportWidth),
      windowHeight: int(client.viewportHeight),
      timezoneOffset: int(client.timezoneOffset),
      params: { source: query.get('source') || null, placement: query.get('placement') || null, from: query.get('from') || null },
    }
    const batch = {
      pid: uuid(random),
      key: settings.key,
      time: seconds + 1,
      events: [{ action: action || 'init', time: seconds, group: null, body: { ...page, ...fields } }],
      uid: kept(client, 'pdst', 'infinite'),
      sid: kept(client, 'pdstSession', 'session'),
    }
    client.fetch(ENDPOINT, {
      method: 'POST',
      mode: 'cors',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify([batch]),
      keepalive: true,
    })
  }

  manager.addEventListener('pageview', send)
  manager.addEventListener('event', send)
}
