import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit, text } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

/**
 * ZipRecruiter's conversion pixel, as Zaraz's component sends it from the browser: on each
 * pageview, a `no-cors` GET of `https://track.ziprecruiter.com/conversion` carrying the vendor's
 * cookies, whose query is every setting (`enc_account_id`, the account) then every field of the
 * action, a field replacing the setting of the same name.
 */
export default function ziprecruiter(manager: Manager, settings: ComponentSettings): void {
  manager.addEventListener('pageview', ({ client, payload }: MCEvent) => {
    const all: Record<string, unknown> = { ...settings, ...payload }
    const query = new URLSearchParams()
    // `__` keys belong to the config and the runtime, never to the vendor. An empty field is sent empty, as Zaraz's component sends it.
    for (const k of Object.keys(all)) if (k.indexOf('__') != 0 && all[k] != null) query.append(k, text(all[k]))
    hit(client, 'https://track.ziprecruiter.com/conversion?' + query)
  })
}
