/**
 * Hashing of personal data before it leaves, as vendors' advanced matching asks for it. (Meta's
 * pixel has its own copy in facebook-pixel.ts; the lead may fold it here.)
 */

/** The SHA-256 (hex) of the trimmed, lower-cased value; undefined where `crypto.subtle` is missing (plain HTTP pages). */
export async function sha256(value: string): Promise<string | undefined> {
  const subtle = typeof crypto == 'object' ? crypto.subtle : undefined
  if (!subtle) return undefined
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(value.trim().toLowerCase()))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
