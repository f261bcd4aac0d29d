import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

/**
 * Indeed's conversion pixel, as Zaraz's component sends it from the browser: for each
 * `conversion` action, a `no-cors` GET of `https://conv.indeed.com/pagead/conv/<id>/?script=0`
 * carrying the vendor's cookies. The action's `conversion_id` field overrides the setting.
 */
export default function indeed(manager: Manager, settings: ComponentSettings): void {
  manager.addEventListener('conversion', ({ client, payload }: MCEvent) => {
    // An empty field (exported configs carry them) means the setting, as in Zaraz's component.
    const id = String(payload?.conversion_id || settings.conversion_id || '')
    if (id) hit(client, `https://conv.indeed.com/pagead/conv/${encodeURIComponent(id)}/?script=0`)
  })
}
