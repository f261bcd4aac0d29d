import { readCookies } from './cookies'

/**
 * The highest domain the page may set a cookie on, found the way gtag's `cookie_domain: 'auto'`
 * does: try a test cookie on `co.uk`, then `example.co.uk`, … until the browser keeps one (it
 * refuses public suffixes). `localhost` and IP addresses get host-only cookies (no Domain): ''.
 * Shared by the consent cookie and the vendor cookie jar.
 */
export function registrableDomain(doc: Document, hostname: string): string {
  if (!hostname || /^[\d.]+$/.test(hostname) || hostname.indexOf(':') >= 0 || hostname.indexOf('.') < 0) return ''
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
