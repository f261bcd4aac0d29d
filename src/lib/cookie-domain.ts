import { readCookies } from './cookies'
import { safe } from './safe'

/**
 * The highest domain the page may set a cookie on, found the way gtag's `cookie_domain: 'auto'`
 * does: try a test cookie on `co.uk`, then `example.co.uk`, … until the browser keeps one (it
 * refuses public suffixes). `localhost` and IP addresses get host-only cookies (no Domain): ''.
 * Shared by the consent cookie and the vendor cookie jar.
 */
export function registrableDomain(doc: Document, hostname: string): string {
  // '', IP addresses (v4, v6) and single labels such as localhost: host-only.
  if (/^[\d.]*$|:|^[^.]*$/.test(hostname)) return ''
  const parts = hostname.split('.')
  // Cookies refused (a throw), or none kept: host-only too.
  return (
    safe(() => {
      for (let i = parts.length - 2; i >= 0; i--) {
        const domain = parts.slice(i).join('.')
        const value = String(i) + domain.length
        const at = `; domain=${domain}; path=/; samesite=lax; max-age=`
        doc.cookie = `_tagrelay_cd=${value}${at}10`
        const kept = readCookies(doc)._tagrelay_cd == value
        doc.cookie = `_tagrelay_cd=${at}0`
        if (kept) return domain
      }
    }) || ''
  )
}
