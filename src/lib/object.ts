/** The one key that, assigned, would replace an object's prototype instead of adding a property. */
export const isUnsafeKey = (k: string) => k === '__proto__'

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v != 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Copies own keys of each source into a fresh object, later sources winning. */
export function merge(...sources: Array<Record<string, unknown> | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const s of sources) {
    if (!s) continue
    for (const k of Object.keys(s)) if (!isUnsafeKey(k)) out[k] = s[k]
  }
  return out
}

/** A deep copy of JSON-like data (what tools receive: each its own copy). */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v != 'object') return v
  if (Array.isArray(v)) return v.map(cloneJson) as T
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) if (!isUnsafeKey(k)) out[k] = cloneJson((v as Record<string, unknown>)[k])
  return out as T
}
