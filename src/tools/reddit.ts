import type { Client, ComponentSettings, Manager, MCEvent } from '../types/mc'
import { eventFields } from './lib/fields'
import { uuid } from './lib/ids'
import { hit, randomOf, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://alb.reddit.com/rp.gif'

/** The action types the official component listens to, each sent as the Reddit event of that name. */
const EVENTS = ['ViewContent', 'AddToCart', 'AddToWishlist', 'Search', 'Purchase', 'Lead', 'SignUp', 'Custom']

/**
 * Reddit Pixel, as the official component sends it from the browser: a `no-cors` GET to
 * `alb.reddit.com/rp.gif` per event, `PageVisit` for pageviews and the action type's name for
 * Reddit's event actions (`Purchase`, `SignUp`…). The browser id lives in `reddit_uuid`
 * (`<ms>.<uuid>`), rewritten on every hit; the click id `rdt_cid` is read from the URL.
 */
export default function reddit(manager: Manager, settings: ComponentSettings): void {
  const random = randomOf(manager)

  const send = (event: string, client: Client, payload: Params) => {
    const ts = timeOf(client)
    const kept = client.get('reddit_uuid')?.split('.')[1]
    const id = kept || uuid(random)
    // The action's fields first; the tool's own replace those of the same name where they stand.
    const query: Params = { ...eventFields(payload), event, id: settings.id, ts, uuid: id }
    const clickId = client.url.searchParams.get('rdt_cid')
    if (clickId) query.click_id = clickId
    Object.assign(query, { integration: 'reddit', opt_out: 0, v: 'rdt_65e23bc4', sh: client.screenHeight, sw: client.screenWidth })
    // Not a Reddit parameter (the official component leaves it out too).
    delete query.timestamp
    hit(client, withQuery(ENDPOINT, Object.entries(query)))
    client.set('reddit_uuid', `${ts}.${id}`, { scope: 'infinite' })
  }

  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => send('PageVisit', client, payload))
  for (const event of EVENTS) manager.addEventListener(event, ({ client, payload }: MCEvent) => send(event, client, payload))
}
