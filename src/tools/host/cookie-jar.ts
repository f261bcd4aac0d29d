import { readCookies } from '../../lib/cookies'
import { registrableDomain } from '../../lib/cookie-domain'

/**
 * First-party cookies for the client ids vendors read as cookies (`_ga`, `_fbp`, `_gcl_aw`...).
 * A `client.set` of one of these names with scope `infinite` is written as a cookie of exactly that
 * name (not namespaced: the vendor's own scripts, server-side tags and other tools read it there)
 * on the cookie domain; everything else stays in Web Storage.
 */
export const VENDOR_COOKIE = /^(_ga(_[A-Za-z0-9]+)?|_gid|_fbp|_fbc|_gcl_(aw|au|dc|gb))$/

/** Browsers cap cookie lifetimes at 400 days; vendors ask for two years. */
const MAX_AGE_S = 400 * 24 * 3600

export interface CookieJar {
  get(name: string): string | undefined
  /** `expiresAt`: ms since epoch, 0 = the longest lifetime browsers allow. False when cookies are unavailable. */
  set(name: string, value: string, expiresAt: number, now: number): boolean
  remove(name: string): void
}

// One way to find the cookie domain, shared with the consent cookie.
export { registrableDomain }

/**
 * Cookies on `cookieDomain` (the config's `settings.cookieDomain`; found when left out). Creating
 * the jar touches nothing: `document.cookie` is read on the first `get`, the domain found on the
 * first write.
 */
export function createCookieJar(doc: Document | undefined, cookieDomain?: string): CookieJar {
  let domain = cookieDomain?.replace(/^\./, '')
  const get = (name: string): string | undefined => readCookies(doc)[name]
  const write = (name: string, value: string, s: number) => {
    const loc = doc!.location || {}
    domain ??= registrableDomain(doc!, loc.hostname || '')
    doc!.cookie = `${name}=${encodeURIComponent(value)}; max-age=${s}${domain ? '; domain=' + domain : ''}; path=/; samesite=lax${loc.protocol == 'https:' ? '; secure' : ''}`
  }
  return {
    get,
    set(name, value, expiresAt, now) {
      const s = Math.min(expiresAt ? Math.max(0, Math.round((expiresAt - now) / 1000)) : MAX_AGE_S, MAX_AGE_S)
      try {
        write(name, value, s)
        return get(name) == value || !s
      } catch {
        // No document, or cookies unavailable.
        return false
      }
    },
    remove(name) {
      try {
        if (get(name) !== undefined) write(name, '', 0)
      } catch {
        // Cookies unavailable: nothing to remove.
      }
    },
  }
}
