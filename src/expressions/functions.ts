/** The JSONata functions templates may call, each as `$name(…)`. Bad arguments give `undefined`. */

/** As JSONata's `$string`: numbers, also inside objects, with 15 significant digits (`0.1 + 0.2` is `0.3`). */
export const str = (v: unknown): string | undefined =>
  v === undefined || typeof v == 'string' ? v : JSON.stringify(v, (_, x) => (typeof x == 'number' && isFinite(x) ? +x.toPrecision(15) : x))
/** A number, a numeric string or a boolean as a number; anything else (and infinities) `undefined`. */
const num = (v: unknown): number | undefined => {
  let n = NaN
  if (typeof v == 'number') n = v
  else if (typeof v == 'boolean') n = Number(v)
  else if (typeof v == 'string' && v.trim() !== '') n = Number(v)
  return Number.isFinite(n) ? n : undefined
}
/** A value as an array (`undefined`: empty; a single value: one item). */
const arr = (v: unknown): unknown[] => {
  if (v === undefined) return []
  return Array.isArray(v) ? v : [v]
}
const nums = (v: unknown) => arr(v).map(num).filter((n): n is number => n !== undefined)

/** JSONata rounds half to even, shifting the decimal point in the number's text (2.675 * 100 is 267.49999…). */
const shift = (n: number, by: number) => {
  const [m, e] = String(n).split('e')
  return +`${m}e${+(e || 0) + by}`
}
function round(n: number, precision = 0): number {
  const x = shift(n, precision)
  const r = Math.round(x)
  return shift(Math.abs(r - x) === 0.5 && r % 2 ? r - 1 : r, -precision) || 0
}

const onString = (fn: (s: string, ...rest: unknown[]) => unknown) => (s: unknown, ...rest: unknown[]) => {
  const v = str(s)
  return v === undefined ? undefined : fn(v, ...rest)
}

export const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  string: (v) => str(v),
  number: (v) => num(v),
  boolean: (v) => truthy(v),
  not: (v) => !truthy(v),
  exists: (v) => v !== undefined,
  lowercase: onString((s) => s.toLowerCase()),
  uppercase: onString((s) => s.toUpperCase()),
  trim: onString((s) => s.replace(/\s+/g, ' ').trim()),
  length: onString((s) => Array.from(s).length),
  substring: onString((s, start, length) => {
    const chars = Array.from(s)
    let from = num(start) ?? 0
    if (from < 0) from = Math.max(0, chars.length + from)
    const len = length === undefined ? undefined : num(length)
    return chars.slice(from, len === undefined ? undefined : from + Math.max(0, len)).join('')
  }),
  substringBefore: onString((s, chars) => {
    const c = str(chars) ?? ''
    const i = s.indexOf(c)
    return i < 0 ? s : s.slice(0, i)
  }),
  substringAfter: onString((s, chars) => {
    const c = str(chars) ?? ''
    const i = s.indexOf(c)
    return i < 0 ? s : s.slice(i + c.length)
  }),
  contains: onString((s, pattern) => s.includes(str(pattern) ?? '')),
  replace: onString((s, pattern, replacement, limit) => {
    const p = str(pattern)
    if (!p) return undefined
    const r = str(replacement) ?? ''
    let max = limit === undefined ? Infinity : num(limit) ?? Infinity
    let out = ''
    let rest = s
    for (let i = rest.indexOf(p); i >= 0 && max-- > 0; i = rest.indexOf(p)) {
      out += rest.slice(0, i) + r
      rest = rest.slice(i + p.length)
    }
    return out + rest
  }),
  split: onString((s, separator, limit) => {
    const parts = s.split(str(separator) ?? '')
    return limit === undefined ? parts : parts.slice(0, num(limit))
  }),
  join: (v, separator) => (v === undefined ? undefined : arr(v).map((x) => str(x) ?? '').join(str(separator) ?? '')),
  pad: onString((s, width, char) => {
    const w = num(width) ?? 0
    const c = str(char) || ' '
    return w >= 0 ? s.padEnd(w, c) : s.padStart(-w, c)
  }),
  round: (v, precision) => {
    const n = num(v)
    return n === undefined ? undefined : round(n, num(precision) ?? 0)
  },
  floor: (v) => (num(v) === undefined ? undefined : Math.floor(num(v)!)),
  ceil: (v) => (num(v) === undefined ? undefined : Math.ceil(num(v)!)),
  abs: (v) => (num(v) === undefined ? undefined : Math.abs(num(v)!)),
  sum: (v) => nums(v).reduce((a, b) => a + b, 0),
  count: (v) => arr(v).length,
  max: (v) => (nums(v).length ? Math.max(...nums(v)) : undefined),
  min: (v) => (nums(v).length ? Math.min(...nums(v)) : undefined),
  average: (v) => (nums(v).length ? nums(v).reduce((a, b) => a + b, 0) / nums(v).length : undefined),
  keys: (v) => (v && typeof v == 'object' && !Array.isArray(v) ? Object.keys(v) : undefined),
  lookup: (v, key) => (v && typeof v == 'object' && Object.prototype.hasOwnProperty.call(v, String(key)) ? (v as Record<string, unknown>)[String(key)] : undefined),
  encodeUrlComponent: onString((s) => encodeURIComponent(s)),
  decodeUrlComponent: onString((s) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return undefined
    }
  }),
  millis: () => Date.now(),
  now: () => new Date().toISOString(),
}

/** JSONata truthiness: empty strings, 0, empty arrays, null and missing are false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(truthy)
  if (v && typeof v == 'object') return Object.keys(v).length > 0
  return !!v
}
