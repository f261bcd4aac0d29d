import { why } from '../lib/warn'
import { put } from '../lib/object'
import type { SetScope } from '../types/zaraz'

const SCOPES: SetScope[] = ['page', 'session', 'persist']

/** Argument checks for the page-facing API. Each returns a message saying what was expected, or ''. */

/** A value as a warning names it: `null`, `an array`, a string (quoted, cut at 40 characters), else its type. */
export const show = (v: unknown): string => {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v == 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)
  return typeof v
}

/** An event's name and properties: what is wrong with them, or ''. */
export const checkEvent = (call: string, name: unknown, props: unknown): string => {
  if (typeof name != 'string' || !name.trim()) return `${call} expects a non-empty string as the event name, got ${show(name)}`
  if (props !== undefined && (props === null || typeof props != 'object' || Array.isArray(props))) return `${call} expects an object of properties (or nothing), got ${show(props)}`
  return ''
}

/** `zaraz.set()`'s key, scope and value: what is wrong with them, or '' (`undefined` can be stored: it removes the key, and serialises as '{}'). */
export function checkSet(key: unknown, scope: SetScope, value: unknown): string {
  if (typeof key != 'string' || !key) return `zaraz.set() expects a non-empty string as the key, got ${show(key)}`
  if (!SCOPES.includes(scope)) return `zaraz.set() expects scope "page", "session" or "persist", got ${show(scope)}`
  const [json, error] = serialise('zaraz.set()', value)
  if (json === undefined) return `zaraz.set() cannot store a ${typeof value}; nothing was saved`
  return error
}

/**
 * Serialises properties on the caller's stack, so later changes to the caller's object do not
 * leak into the event. Functions, symbols and `undefined` values are dropped (as JSON drops them);
 * cyclic structures and BigInt are refused.
 */
export function serialise(call: string, value: unknown): [json: string, error: string] {
  try {
    const json = value === undefined ? '{}' : JSON.stringify(value)
    // No tool request could carry more (see docs/delivery.md); refusing here bounds what a burst holds.
    return json?.length > MAX_JSON ? ['', `${call} expects at most ${MAX_JSON} characters of JSON, got ${json.length}`] : [json, '']
  } catch (e) {
    return ['', `${call} expects JSON-serialisable values (no cycles, no BigInt): ${why(e)}`]
  }
}

/**
 * The copy of a flat object of JSON values that `JSON.parse(JSON.stringify(props))` would give,
 * without the string round trip (most calls: `track('Signup', { plan: 'pro', seats: 3 })`);
 * `undefined` for anything else (nested values, `toJSON`, big strings, odd keys, a getter that
 * throws), which then goes through `serialise`.
 */
export function copyFlat(props: object): Record<string, unknown> | undefined {
  try {
    if (typeof (props as { toJSON?: unknown }).toJSON == 'function') return
    const out: Record<string, unknown> = {}
    let size = 0
    for (const k of Object.keys(props)) {
      const v = (props as Record<string, unknown>)[k]
      const t = typeof v
      if ((size += k.length + (t == 'string' ? (v as string).length : 8)) > 1e5 || k == '__proto__' || (t == 'object' && v !== null) || t == 'bigint') return
      if (t == 'number') put(out, k, isFinite(v as number) ? (v as number) + 0 : null)
      else if (t != 'undefined' && t != 'function' && t != 'symbol') put(out, k, v)
    }
    return out
  } catch {
    // A getter that throws: `serialise` says so, the same way as for any other value.
  }
}

/** The most JSON a call's properties (or a `set` value) may serialise to. */
export const MAX_JSON = 1_000_000

