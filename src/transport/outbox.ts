import type { OutgoingRequest } from './transport'

/** A request not delivered yet, as stored: the request as sent, who may send it, and until when. */
export interface Stored {
  r: OutgoingRequest
  /** Attempts so far, over every page view. */
  n: number
  /** When it was first sent. */
  t: number
  /** The tab (page view) that claims it, and until when; no claim: any page view may take it. */
  o?: string
  x?: number
}

/** What the outbox keeps at most: oldest dropped first. */
export const OUTBOX_LIMITS = { count: 1000, chars: 500_000, attempts: 20, age: 7 * 24 * 3600_000 }

const PREFIX = 'tagrelay_ob:'

export interface Outbox {
  put(key: string, entry: Stored): void
  get(key: string): Stored | undefined
  remove(key: string): void
  /**
   * Takes every stored request no other live page view claims (claim missing or expired), after
   * dropping what is over the limits. Returns them oldest first, how many were dropped, and when
   * the next claim of another page view expires (0: none).
   */
  claim(tab: string, now: number, lease: number): { mine: Array<[string, Stored]>; dropped: number; next: number }
}

/**
 * The persistent outbox: one `localStorage` key per request (`tagrelay_ob:<id>`), so that page
 * views writing their own requests never overwrite each other's. `undefined` without storage.
 */
export function createOutbox(s: Storage | undefined): Outbox | undefined {
  if (!s) return undefined
  const get = (key: string): Stored | undefined => {
    try {
      return JSON.parse(s.getItem(PREFIX + key) || 'null') || undefined
    } catch {
      return undefined
    }
  }
  const put = (key: string, e: Stored) => {
    try {
      s.setItem(PREFIX + key, JSON.stringify(e))
    } catch {
      // Storage full or blocked: the request lives on in memory for this page view only.
    }
  }
  const remove = (key: string) => {
    try {
      s.removeItem(PREFIX + key)
    } catch {
      // Blocked storage: nothing was stored either.
    }
  }
  return {
    put,
    get,
    remove,
    claim(tab, now, lease) {
      const all: Array<[string, Stored | undefined, number]> = []
      try {
        for (let i = 0; i < s.length; i++) {
          const key = s.key(i)
          if (key && key.indexOf(PREFIX) == 0) all.push([key.slice(PREFIX.length), undefined, 0])
        }
      } catch {
        return { mine: [], dropped: 0, next: 0 }
      }
      for (const a of all) {
        a[1] = get(a[0])
        a[2] = (s.getItem(PREFIX + a[0]) || '').length
      }
      // Newest first, so the limits drop the oldest.
      all.sort((a, b) => (b[1]?.t ?? 0) - (a[1]?.t ?? 0))
      const L = OUTBOX_LIMITS
      const mine: Array<[string, Stored]> = []
      let count = 0
      let chars = 0
      let dropped = 0
      let next = 0
      for (const [key, e, size] of all) {
        if (!e || !e.r || ++count > L.count || (chars += size) > L.chars || e.n >= L.attempts || now - e.t > L.age) {
          remove(key)
          dropped++
        } else if (e.o && e.o != tab && e.x! > now) {
          next = next ? Math.min(next, e.x!) : e.x!
        } else {
          e.o = tab
          e.x = now + lease
          put(key, e)
          mine.push([key, e])
        }
      }
      return { mine: mine.reverse(), dropped, next }
    },
  }
}
