import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { eventFields } from './lib/fields'
import { keptClickId } from './lib/ids'
import { hit, timeOf, withQuery, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

const ENDPOINT = 'https://px.ads.linkedin.com/collect/'

/** The click id's lifetime, as the official component keeps it: one month. */
const ONE_MONTH_MS = 2_628_000_000

/**
 * LinkedIn Insight Tag, as the official component sends it from the browser: a `no-cors` GET to
 * `px.ads.linkedin.com/collect/` with `pid` (the partner id). Alone it is a page view; with a
 * `conversionId` field it is that conversion. The click id `li_fat_id` from the landing URL is
 * kept for a month and sent with every later hit.
 */
export default function linkedin(manager: Manager, settings: ComponentSettings): void {
  const send = ({ client, payload }: MCEvent) => {
    // The action's fields come after the tool's own, so a field (`pid` too) wins, as in the official component.
    const query: Params = { fmt: 'js', v: 2, url: client.url.href, time: timeOf(client), pid: settings.pid, ...eventFields(payload) }
    query.li_fat_id = keptClickId(client, 'li_fat_id', 'li_fat_id', ONE_MONTH_MS)
    hit(client, withQuery(ENDPOINT, Object.entries(query)))
  }
  manager.addEventListener('event', send)
  // The official component has no pageview listener; the Insight Tag's page view is this same hit without a conversion.
  manager.addEventListener('pageview', send)
}
