/**
 * SHA-256 of matching fields (e-mail addresses…), as vendors take them: never sent in clear.
 * Shared by the catalogue tools; what a tool imports from here is copied into its own chunk only.
 */

/** A value that already is a SHA-256 hex digest (a site may hash before it tracks). */
const DIGEST = /^[0-9a-f]{64}$/i

/**
 * The lower-case hex SHA-256 of the trimmed, lower-cased value (a digest is kept as it is), or
 * undefined where the browser has no `crypto.subtle` (pages not served over HTTPS) or it fails.
 */
export async function sha256(value: string): Promise<string | undefined> {
  const v = value.trim().toLowerCase()
  if (DIGEST.test(v)) return v
  const subtle = typeof crypto == 'object' ? crypto.subtle : undefined
  if (!subtle) return undefined
  try {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(v))
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
  } catch {
    return undefined
  }
}
