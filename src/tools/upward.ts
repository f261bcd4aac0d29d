import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit, text, type Params } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['access_client_kv', 'client_network_requests']

/** Zaraz sends these hits from its servers: an export's `server_network_requests` covers them (docs/tools/upward.md). */
export const sentFromServer = true

/**
 * Upward's conversion endpoint, as Zaraz's component calls it: a pageview whose URL carries
 * `tid` (Upward's click id) keeps it as `upward_tid`; each event is a GET of
 * `https://www.upward.net/search/u_convert.fsn` whose query is the action's fields (`aid`, the
 * account, and any other) then the kept `tid`, empty values left out. Zaraz sends it from its
 * servers, so here it leaves without the visitor's cookies.
 */
export default function upward(manager: Manager, _settings: ComponentSettings): void {
  manager.addEventListener('pageview', ({ client }: MCEvent) => {
    const tid = client.url.searchParams.get('tid')
    if (tid) client.set('upward_tid', tid, { scope: 'infinite' })
  })
  manager.addEventListener('event', ({ client, payload }: MCEvent) => {
    // The kept tid replaces a `tid` field, as in Zaraz's component.
    const all: Params = { ...payload, tid: client.get('upward_tid') }
    const query = new URLSearchParams()
    // `__` keys belong to the config and the runtime, never to the vendor.
    for (const k of Object.keys(all)) if (k.indexOf('__') != 0 && all[k] != null && all[k] !== '') query.append(k, text(all[k]))
    const search = query.toString()
    // Nothing to report, nothing sent (as in Zaraz's component).
    if (search) hit(client, 'https://www.upward.net/search/u_convert.fsn?' + search, 'GET', 'omit')
  })
}
