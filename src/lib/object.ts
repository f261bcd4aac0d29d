/** The one key that, assigned, would replace an object's prototype instead of adding a property. */
export const isUnsafeKey = (k: string) => k === '__proto__'

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (!v || typeof v != 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * `o[k] = v` as an own property of `o`, also where a frozen prototype has `k` (`constructor`,
 * `toString`, an array's `push`…): plain assignment then throws in strict code (the "override
 * mistake": a page that froze its intrinsics, SES `lockdown()`). Returns `o`.
 */
export const put = <T extends object>(o: T, k: PropertyKey, v: unknown): T =>
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true })

/** A deep copy of JSON-like data (what tools receive: each its own copy). */
export function cloneJson<T>(v: T): T {
  if (!v || typeof v != 'object') return v
  if (Array.isArray(v)) return v.map(cloneJson) as T
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) if (!isUnsafeKey(k)) put(out, k, cloneJson((v as Record<string, unknown>)[k]))
  return out as T
}
