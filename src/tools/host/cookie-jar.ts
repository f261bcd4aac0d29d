import { readCookies } from '../../lib/cookies'

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

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.indexOf(':') >= 0

/**
 * The highest domain the page may set a cookie on, found the way gtag's `cookie_domain: 'auto'`
 * does: try a test cookie on `co.uk`, then `example.co.uk`, … until the browser keeps one (it
 * refuses public suffixes). `localhost` and IP addresses get host-only cookies (no Domain).
 */
export function registrableDomain(doc: Document, hostname: string): string {
  if (!hostname || isIp(hostname) || hostname.indexOf('.') < 0) return ''
  const parts = hostname.split('.')
  const probe = '_tagrelay_cd'
  for (let i = parts.length - 2; i >= 0; i--) {
    const domain = parts.slice(i).join('.')
    const value = String(i) + domain.length
    try {
      doc.cookie = `${probe}=${value}; domain=${domain}; path=/; max-age=10; samesite=lax`
      const kept = readCookies(doc)[probe] == value
      doc.cookie = `${probe}=; domain=${domain}; path=/; max-age=0`
      if (kept) return domain
    } catch {
      return ''
    }
  }
  return ''
}

/** Cookies on `cookieDomain` (the config's `settings.cookieDomain`; found when left out). */
export function createCookieJar(doc: Document | undefined, cookieDomain?: string): CookieJar {
  let domain: string | undefined = cookieDomain?.replace(/^\./, '')
  const attrs = () => {
    if (domain === undefined) domain = doc ? registrableDomain(doc, doc.location?.hostname ?? '') : ''
    const secure = doc?.location?.protocol == 'https:' ? '; secure' : ''
    return `${domain ? `; domain=${domain}` : ''}; path=/; samesite=lax${secure}`
  }
  return {
    get: (name) => readCookies(doc)[name],
    set(name, value, expiresAt, now) {
      if (!doc) return false
      const seconds = expiresAt ? Math.max(0, Math.round((expiresAt - now) / 1000)) : MAX_AGE_S
      try {
        doc.cookie = `${name}=${encodeURIComponent(value)}; max-age=${Math.min(seconds, MAX_AGE_S)}${attrs()}`
        return readCookies(doc)[name] == value || seconds == 0
      } catch {
        return false
      }
    },
    remove(name) {
      try {
        if (doc && readCookies(doc)[name] !== undefined) doc.cookie = `${name}=; max-age=0${attrs()}`
      } catch {
        // Cookies unavailable: nothing to remove.
      }
    },
  }
}
