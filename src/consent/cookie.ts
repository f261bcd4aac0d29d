import { readCookies } from '../lib/cookies'
import { registrableDomain } from '../lib/cookie-domain'
import { put } from '../lib/object'

export type Choices = Record<string, boolean>

/** The visitor's stored choices: only `true` / `false` values count; an unreadable cookie is no choice. */
export function readChoices(doc: Document | undefined, name: string): Choices {
  const out: Choices = {}
  try {
    const parsed = JSON.parse(readCookies(doc)[name] || '{}')
    for (const k of Object.keys(parsed)) if (typeof parsed[k] == 'boolean') put(out, k, parsed[k])
  } catch {
    // Not JSON: no choice was made.
  }
  return out
}

/**
 * Writes the choices as JSON, for one year, `SameSite=Lax`, `Path=/`, on `domain` when given,
 * else on the registrable domain (`registrableDomain`, shared with the vendor cookie jar), host-only
 * when the browser refuses that domain. `null` deletes it (on that domain and host-only). The JSON
 * is written as it is (as Zaraz does), so both read each other's cookie.
 */
export function writeChoices(doc: Document | undefined, name: string, choices: Choices | null, domain?: string): void {
  if (!doc) return
  const json = choices && JSON.stringify(choices)
  // Purpose ids are alphanumeric in Zaraz; encode anything that could end the cookie early.
  const value = json && /[;\s%]/.test(json) ? encodeURIComponent(json) : json || ''
  const write = (d: string) => {
    try {
      // (Spelt as the vendor cookie jar writes its cookies.)
      doc.cookie = `${name}=${value}; max-age=${choices ? 31536000 : 0}${d ? '; domain=' + d : ''}; path=/; samesite=lax${doc.location?.protocol == 'https:' ? '; secure' : ''}`
    } catch {
      // Sandboxed documents refuse cookies: the choices then live for this page only.
    }
  }
  const d = domain ?? registrableDomain(doc, doc.location?.hostname ?? '')
  write(d)
  // Deleting: also a host-only one. Writing: host-only when the browser refused the domain.
  if (d && (!json || readCookies(doc)[name] !== json)) write('')
}
