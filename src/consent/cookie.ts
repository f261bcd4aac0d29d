import { readCookies } from '../lib/cookies'

export type Choices = Record<string, boolean>

const YEAR = 31536000

/** The visitor's stored choices: only `true` / `false` values count; an unreadable cookie is no choice. */
export function readChoices(doc: Document | undefined, name: string): Choices {
  const out: Choices = {}
  try {
    const parsed = JSON.parse(readCookies(doc)[name] ?? '{}')
    for (const k of Object.keys(parsed)) if (k != '__proto__' && typeof parsed[k] == 'boolean') out[k] = parsed[k]
  } catch {
    // Not JSON: no choice was made.
  }
  return out
}

/**
 * Writes the choices as JSON, for one year, `SameSite=Lax`, `Path=/`, on `domain` when given,
 * else on the highest domain the browser accepts (the registrable domain, found by trying
 * `example.com` before `shop.example.com`, as analytics libraries do). `null` deletes it.
 * The JSON is written as it is (as Zaraz does), so both read each other's cookie.
 */
export function writeChoices(doc: Document | undefined, name: string, choices: Choices | null, domain?: string): void {
  if (!doc) return
  const json = choices && JSON.stringify(choices)
  // Purpose ids are alphanumeric in Zaraz; encode anything that could end the cookie early.
  const value = json && /[;\s%]/.test(json) ? encodeURIComponent(json) : json || ''
  const tail = `; Path=/; SameSite=Lax${doc.location?.protocol == 'https:' ? '; Secure' : ''}${choices ? `; Max-Age=${YEAR}` : '; Max-Age=0'}`
  const write = (d: string) => {
    try {
      doc.cookie = `${name}=${value}${d ? `; Domain=${d}` : ''}${tail}`
    } catch {
      // Sandboxed documents refuse cookies: the choices then live for this page only.
    }
  }
  const host = doc.location?.hostname ?? ''
  const labels = host.split('.')
  const candidates = domain ? [domain] : /^[\d.]+$|:|^localhost$/.test(host) || labels.length < 2 ? [] : labels.map((_, i) => labels.slice(i).join('.')).reverse().slice(1)
  if (!choices) {
    // Delete it wherever it may be.
    for (const d of candidates) write(d)
    return write('')
  }
  for (const d of candidates) {
    write(d)
    if (readCookies(doc)[name] === json) return
  }
  write('')
}
