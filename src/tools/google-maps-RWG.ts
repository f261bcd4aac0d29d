import type { ComponentSettings, Manager, MCEvent } from '../types/mc'

/** The permissions this tool needs when its config entry lists none. */
export const permissions = ['execute_unsafe_scripts']

/** Google asks partners to keep the token 30 days from the referral. */
const THIRTY_DAYS_S = 30 * 24 * 3600

type Dom = { document: Document }

/**
 * Google Maps Reserve with Google: on each pageview whose URL carries `rwg_token` (Google adds it
 * to the action links it sends visitors through), the token is kept in the first-party cookie
 * `_rwg_token` for 30 days, where the site's booking flow reads it to report the conversion to
 * Google. Like Zaraz's component, it sends nothing itself.
 */
export default function googleMapsRwg(manager: Manager, _settings: ComponentSettings): void {
  manager.addEventListener('pageview', ({ client }: MCEvent) => {
    const token = client.url.searchParams.get('rwg_token')
    if (!token) return
    // The page's document, behind the permission Zaraz's tool asks for (its component writes the cookie from an injected script).
    const dom = manager.ext?.dom as (() => Dom | undefined) | undefined
    const target = dom?.()
    if (target) target.document.cookie = `_rwg_token=${encodeURIComponent(token)}; Max-Age=${THIRTY_DAYS_S}; Path=/`
  })
}
