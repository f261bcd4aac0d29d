/** The page's cookies as name → decoded value. Sandboxed documents throw on access: no cookies then. */
export function readCookies(doc: Document | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  try {
    for (const pair of (doc?.cookie ?? '').split(';')) {
      // Name and value around the first '='; a pair without one is skipped.
      const m = /([^=]+)=(.*)/.exec(pair)
      const k = m?.[1].trim()
      if (!k || k == '__proto__') continue
      let v = m![2].trim()
      try {
        v = decodeURIComponent(v)
      } catch {
        // Not URI-encoded: as it is.
      }
      out[k] = v
    }
  } catch {
    // No cookies.
  }
  return out
}
