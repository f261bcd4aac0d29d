import type { OutgoingRequest } from './transport'

/**
 * The persistent outbox: one `localStorage` key per request (`tagrelay_ob:<id>`), so that page
 * views writing their own requests never overwrite each other's. Storage that is full, blocked or
 * holds junk only means "nothing": a request that cannot be stored lives on in memory for this
 * page view only. Nothing here runs until the transport needs it (see transport.ts).
 */

/** A request not delivered yet, as stored: the request as sent, who may send it, and until when. */
export interface Stored {
  r: OutgoingRequest
  /** Attempts so far, over every page view. */
  n: number
  /** When it was first sent. */
  t: number
  /** The tab (page view) that claims it, and until when; no claim (or 0): any page view may take it. */
  o?: string | 0
  x?: number
}

/** What the outbox keeps at most: oldest dropped first. */
const L = { count: 1000, chars: 500_000, attempts: 20, age: 7 * 24 * 3600_000 }
export { L as OUTBOX_LIMITS }

const P = 'tagrelay_ob:'

const safe = <T>(f: () => T): T | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

export const put = (s: Storage, key: string, e: Stored) => safe(() => s.setItem(P + key, JSON.stringify(e)))

export const remove = (s: Storage, key: string) => safe(() => s.removeItem(P + key))

export const get = (s: Storage, key: string): Stored | undefined => safe(() => JSON.parse(s.getItem(P + key)!))

/**
 * Takes every stored request no other live page view claims (claim missing or expired), after
 * dropping what is over the limits. Returns them oldest first, how many were dropped, and when
 * the next claim of another page view expires (0: none).
 */
export function claim(s: Storage, tab: string, now: number, lease: number) {
  const all: Array<[string, Stored, number]> = []
  const mine: Array<[string, Stored]> = []
  let count = 0
  let chars = 0
  let dropped = 0
  let next = 0
  safe(() => {
    for (let i = 0, k; i < s.length; i++)
      if ((k = s.key(i)) && !k.indexOf(P)) {
        const v = s.getItem(k)!
        all.push([k.slice(P.length), safe(() => JSON.parse(v)) || {}, v.length])
      }
  })
  // Newest first, so the limits drop the oldest.
  all.sort((a, b) => (b[1].t || 0) - (a[1].t || 0))
  for (const [key, e, size] of all)
    if (!e.r || ++count > L.count || (chars += size) > L.chars || e.n >= L.attempts || now - e.t > L.age) remove(s, key), dropped++
    else if (e.o && e.o != tab && e.x! > now) next = Math.min(next || e.x!, e.x!)
    else (e.o = tab), (e.x = now + lease), put(s, key, e), mine.push([key, e])
  return { mine: mine.reverse(), dropped, next }
}
