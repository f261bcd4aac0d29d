import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { randomOf, type Params } from './lib/vendor'
import { uuid } from './lib/ids'
import { parseUserAgent } from './lib/user-agent'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these calls from its servers: an export's `server_network_requests` covers them (docs/tools/segment.md). */
export const sentFromServer = true

/** Segment's call types, each the action type of the same name (pageviews are `page` calls). */
const CALLS = ['track', 'identify', 'alias', 'group']

/**
 * Segment, as the official component sends it: one `POST https://api.segment.io/v1/<call>` per
 * call with the event in a JSON body. From the browser the write key travels in the body and the
 * content type is `text/plain`, as Segment's analytics.js sends it: a simple CORS request, without
 * the preflight an `Authorization` header would need. The anonymous id lives in the tool's client
 * storage as `ajs_anonymous_id`, made when an event has neither a user id nor an anonymous id.
 */
export default function segment(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  const send = (call: string, { client, payload }: MCEvent) => {
    const p: Params = payload ?? {}
    const page = {
      url: client.url.href,
      title: client.title,
      referrer: client.referer,
      path: client.url.pathname,
      search: client.url.search,
    }
    const body: Params = {
      event: p.event || undefined,
      callType: call,
      anonymousId: p.anonymousId,
      userId: p.userId,
      // No `ip`: Segment takes the address the request comes from, the visitor's own here.
      context: {
        locale: client.language,
        page,
        screen: { width: client.screenWidth, height: client.screenHeight },
        os: { name: parseUserAgent(client.userAgent).os.name },
        userAgent: client.userAgent,
      },
    }
    if (call == 'identify' || call == 'group') body.traits = p
    else body.properties = call == 'page' ? { ...p, ...page } : p
    body.anonymousId ||= client.get('ajs_anonymous_id') || undefined
    if (!body.userId && !body.anonymousId) {
      body.anonymousId = uuid(random)
      client.set('ajs_anonymous_id', String(body.anonymousId), { scope: 'infinite' })
    }
    body.writeKey = settings.writeKey
    client.fetch(`https://${settings.hostname || 'api.segment.io'}/v1/${call}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(body),
      keepalive: true,
    })
  }

  manager.addEventListener('pageview', (event: MCEvent) => send('page', event))
  for (const call of CALLS) manager.addEventListener(call, (event: MCEvent) => send(call, event))
}
