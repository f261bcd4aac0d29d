import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { uuid } from './lib/ids'
import { parseUserAgent } from './lib/user-agent'
import { hit, randomOf, timeOf, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://d1lu3pmaz2ilpx.cloudfront.net/5a28e627'

/** Fields with a meaning of their own: not custom data. */
const RESERVED = ['identify', 'timestamp', 'TATARI_identify', 'TATARI_name']

/**
 * Tatari's TV attribution pixel, as Zaraz's component sends it from the browser: for each
 * pageview, `identify` and `track` action, a `no-cors` GET carrying the vendor's cookies whose
 * `data` parameter is the base64 of a query (`version`, `cookieSupport`, `token`, `sessionId`,
 * `event`, `$os`, `$currentUrl`, `$referrer`, `userId`, `arg`: the other fields as JSON) and whose
 * `date` is the event time. The session id is kept as `session-cookie` (first from the landing
 * URL's `tatari_session_id`, else a random UUID).
 */
export default function tatari(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)
  const key = String(settings.key ?? '')
  const send = ({ type, client, payload }: MCEvent) => {
    // Without the account key Tatari cannot attribute the hit (Zaraz's component would send `token=undefined`).
    if (!key) return
    const p: Params = payload ?? {}
    const custom: Params = {}
    for (const k of Object.keys(p)) if (!RESERVED.includes(k) && k.indexOf('__') != 0) custom[k] = p[k]
    const sessionId = client.get('session-cookie') || client.url.searchParams.get('tatari_session_id') || uuid(random)
    client.set('session-cookie', sessionId)
    const userId = p.TATARI_identify || p.identify
    const data = new URLSearchParams({
      version: '1.2.9',
      cookieSupport: 'PERSIST',
      token: key,
      sessionId,
      event: String(p.TATARI_name || type),
    })
    // (An OS ua-parser-js cannot name is left out; Zaraz's component sends the text "undefined".)
    const os = parseUserAgent(client.userAgent).os.name
    if (os) data.append('$os', os)
    data.append('$currentUrl', client.url.href)
    data.append('$referrer', client.referer)
    if (userId) data.append('userId', String(userId))
    if (Object.keys(custom).length) data.append('arg', JSON.stringify(custom))
    // The query text is ASCII (URL-encoded), so btoa cannot throw on it.
    const query = new URLSearchParams({ data: btoa(data.toString()), date: String(timeOf(client)) })
    hit(client, `${ENDPOINT}?${query}`)
  }
  manager.addEventListener('pageview', send)
  manager.addEventListener('identify', send)
  manager.addEventListener('track', send)
}
