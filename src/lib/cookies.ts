/** The page's cookies as name → decoded value. Sandboxed documents throw on access: no cookies then. */
export function readCookies(doc: Document | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  let cookie = ''
  try {
    cookie = doc?.cookie ?? ''
  } catch {
    return out
  }
  for (const pair of cookie.split(';')) {
    const i = pair.indexOf('=')
    if (i < 0) continue
    const k = pair.slice(0, i).trim()
    if (!k || k == '__proto__') continue
    const v = pair.slice(i + 1).trim()
    try {
      out[k] = decodeURIComponent(v)
    } catch {
      out[k] = v
    }
  }
  return out
}
