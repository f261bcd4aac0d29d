import type { ClientSetOptions } from '../../types/mc'
import type { Clock } from '../../platform/env'
import { VENDOR_COOKIE, type CookieJar } from './cookie-jar'

/**
 * `client.set` / `client.get` storage, namespaced per tool. Scopes: `page` (memory), `session`
 * (sessionStorage) and `infinite` (localStorage). The default scope is `infinite`, as in the
 * reference host (WebCM), so tools keep their client ids without asking. Expiry is a Date or a
 * lifetime in milliseconds. With a cookie jar, vendor cookie names (`_ga`, `_fbp`, `_gcl_aw`...)
 * in scope `infinite` are first-party cookies of that very name, shared by every tool.
 */
export interface ClientKV {
  set(tool: string, key: string, value: string | null | undefined, opts?: ClientSetOptions): boolean
  get(tool: string, key: string): string | undefined
}

const PREFIX = 'tagrelay_kv_'

interface Stored {
  v: string
  /** Expiry, ms since epoch; 0 = never. */
  e: number
}

export function createClientKV(clock: Clock, local?: Storage, session?: Storage, cookies?: CookieJar): ClientKV {
  const page = new Map<string, Stored>()
  // The tool id is encoded (no ":" left in it) so that tool "a_b" + key "c" never meets tool "a" + key "b_c".
  const name = (tool: string, key: string) => `${PREFIX}${encodeURIComponent(tool)}:${key}`

  const read = (storage: Storage | undefined, k: string): Stored | undefined => {
    try {
      const raw = storage?.getItem(k)
      return raw ? (JSON.parse(raw) as Stored) : undefined
    } catch {
      return undefined
    }
  }
  const remove = (k: string) => {
    page.delete(k)
    try {
      local?.removeItem(k)
      session?.removeItem(k)
    } catch {
      // Storage unavailable: nothing stored there either.
    }
  }

  return {
    set(tool, key, value, opts = {}) {
      const k = name(tool, key)
      const cookie = cookies && VENDOR_COOKIE.test(key)
      if (value === null || value === undefined) {
        remove(k)
        if (cookie) cookies.remove(key)
        return true
      }
      const exp = opts.expiry
      const e = exp instanceof Date ? exp.getTime() : typeof exp == 'number' ? clock.now() + exp : 0
      const stored: Stored = { v: String(value), e }
      const scope = opts.scope || 'infinite'
      remove(k)
      if (cookie) {
        cookies.remove(key)
        if (scope == 'infinite' && cookies.set(key, stored.v, e, clock.now())) return true
      }
      if (scope == 'page') {
        page.set(k, stored)
        return true
      }
      const storage = scope == 'session' ? session : local
      try {
        if (!storage) throw new Error('no storage')
        storage.setItem(k, JSON.stringify(stored))
        return true
      } catch {
        // Storage full, blocked or missing: keep it for this page at least.
        page.set(k, stored)
        return true
      }
    },
    get(tool, key) {
      const fromCookie = cookies && VENDOR_COOKIE.test(key) ? cookies.get(key) : undefined
      if (fromCookie !== undefined) return fromCookie
      const k = name(tool, key)
      const s = page.get(k) ?? read(session, k) ?? read(local, k)
      if (!s) return undefined
      if (s.e && s.e <= clock.now()) {
        remove(k)
        return undefined
      }
      return s.v
    },
  }
}
