import { isUnsafeKey, put } from './object'
import { safe } from './safe'

/** The page's cookies as name → decoded value. Sandboxed documents throw on access: no cookies then. */
export function readCookies(doc: Document | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  safe(() => {
    // No document throws here too: no cookies.
    for (const pair of doc!.cookie.split(';')) {
      // Name and value around the first '='; a pair without one is skipped. A value that is not
      // URI-encoded is taken as it is.
      const m = /([^=]+)=(.*)/.exec(pair)
      const k = m?.[1].trim()
      const v = m?.[2].trim()
      if (k && !isUnsafeKey(k)) put(out, k, safe(() => decodeURIComponent(v!)) ?? v!)
    }
  })
  return out
}
