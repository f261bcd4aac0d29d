import type { ClientSetOptions } from '../../types/mc'
import type { Clock } from '../../platform/env'
import { VENDOR_COOKIE, type CookieJar } from './cookie-jar'
import { safe } from '../../lib/safe'

/**
 * `client.set` / `client.get` storage, namespaced per tool. Scopes: `page` (memory), `session`
 * (sessionStorage) and `infinite` (localStorage). The default scope is `infinite`, as in the
 * reference host (WebCM), so tools keep their client ids without asking. Expiry is a Date or a
 * lifetime in milliseconds. With a cookie jar, vendor cookie names (`_ga`, `_fbp`, `_gcl_aw`...)
 * in scope `infinite` are first-party cookies of that very name, shared by every tool.
 * Creating it touches nothing: storage is read on the first `get`, written on the first `set`.
 */
export interface ClientKV {
  set(tool: string, key: string, value: string | null | undefined, opts?: ClientSetOptions): boolean
  get(tool: string, key: string): string | undefined
  /** Every tool's values as `<tool>_<key>`: Zaraz's `system.clientKV` (vendor cookies are in `system.cookies`). */
  all(): Record<string, string>
}

/** A stored value and its expiry (ms since epoch; 0 = never). Storage format: do not rename (read by later page views). */
type Stored = { v: string; e: number }

/** When a value set at `now` expires (ms since epoch; 0 = never): `expiry` is a Date or a lifetime in milliseconds. */
function expiresAt(expiry: ClientSetOptions['expiry'], now: number): number {
  if (expiry instanceof Date) return +expiry
  return typeof expiry == 'number' ? now + expiry : 0
}

export function createClientKV(clock: Clock, local?: Storage, session?: Storage, cookies?: CookieJar): ClientKV {
  const page = new Map<string, Stored>()
  // The tool id is encoded (no ":" left in it) so that tool "a_b" + key "c" never meets tool "a" + key "b_c".
  const name = (tool: string, key: string) => 'tagrelay_kv_' + encodeURIComponent(tool) + ':' + key
  const jar = (key: string) => (cookies && VENDOR_COOKIE.test(key) ? cookies : undefined)
  const read = (s: Storage | undefined, k: string): Stored | undefined => {
    try {
      return JSON.parse(s?.getItem(k) || 'null') || undefined
    } catch {
      // Not ours, or storage unavailable: missing.
    }
  }
  /** Where values of `scope` are stored: none for `page` (this page's memory). */
  const storageFor = (scope: string) => {
    if (scope == 'session') return session
    return scope == 'page' ? undefined : local
  }
  const drop = (k: string) => {
    page.delete(k)
    try {
      local?.removeItem(k)
      session?.removeItem(k)
    } catch {
      // Storage unavailable: nothing stored there either.
    }
  }

  const kv: ClientKV = {
    set(tool, key, value, opts = {}) {
      const k = name(tool, key)
      const c = jar(key)
      const scope = opts.scope || 'infinite'
      const now = clock.now()
      drop(k)
      c?.remove(key)
      if (value == null) return true
      const stored = { v: String(value), e: expiresAt(opts.expiry, now) }
      if (scope == 'infinite' && c?.set(key, stored.v, stored.e, now)) return true
      try {
        // Page scope, or no storage: this throws, and the value is kept for this page.
        storageFor(scope)!.setItem(k, JSON.stringify(stored))
      } catch {
        // Storage full, blocked or missing: keep it for this page at least.
        page.set(k, stored)
      }
      return true
    },
    get(tool, key) {
      const c = jar(key)
      const v = c?.get(key)
      if (v !== undefined) return v
      const k = name(tool, key)
      const s = page.get(k) || read(session, k) || read(local, k)
      if (s?.e && s.e <= clock.now()) {
        drop(k)
        return undefined
      }
      return s?.v
    },
    all() {
      const out: Record<string, string> = {}
      const names = [...page.keys()]
      for (const s of [session, local])
        safe(() => {
          for (let i = 0; i < s!.length; i++) names.push(s!.key(i)!)
        })
      for (const k of names) {
        const [, tool, key] = /^tagrelay_kv_([^:]*):([\s\S]*)/.exec(k) || []
        const id = tool && safe(() => decodeURIComponent(tool))
        const v = id ? kv.get(id, key) : undefined
        if (v !== undefined) out[id + '_' + key] = v
      }
      return out
    },
  }
  return kv
}
