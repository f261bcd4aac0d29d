import type { ComponentSettings, Manager, MCEvent } from '../types/mc'
import { hit } from './lib/vendor'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['client_network_requests']

/**
 * iHire's apply tracking pixel, as Zaraz's component sends it from the browser: on every pageview
 * and event, a `no-cors` GET of `https://api.ihire.com/v1/track/apply-<id>.gif` carrying the
 * vendor's cookies. The request has no parameters: iHire attributes it by its own cookies.
 */
export default function iHire(manager: Manager, settings: ComponentSettings): void {
  const id = String(settings.id ?? '')
  const send = ({ client }: MCEvent) => {
    // Without an account id there is nothing to attribute (Zaraz's component would ask for `apply-undefined.gif`).
    if (id) hit(client, `https://api.ihire.com/v1/track/apply-${encodeURIComponent(id)}.gif`)
  }
  manager.addEventListener('pageview', send)
  manager.addEventListener('event', send)
}
