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

/** Runs `f`; storage that is full, blocked or holds junk only means "nothing". */
const safe = <T>(f: () => T): T | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

/**
 * The persistent outbox: one `localStorage` key per request (`tagrelay_ob:<id>`), so that page
 * views writing their own requests never overwrite each other's. `undefined` without storage.
 * Creating it touches nothing: storage is only read or written by the calls below.
 */
export function createOutbox(s: Storage | undefined): Outbox | undefined {
  const P = 'tagrelay_ob:'
  const put = (key: string, e: Stored) => safe(() => s!.setItem(P + key, JSON.stringify(e)))
  const remove = (key: string) => safe(() => s!.removeItem(P + key))
  return (
    s && {
      put,
      remove,
      get: (key) => safe(() => JSON.parse(s.getItem(P + key)!)) || undefined,
      claim(tab, now, lease) {
        const all: Array<[string, Stored | undefined, number]> = []
        safe(() => {
          for (let i = 0, k; i < s.length; i++)
            if ((k = s.key(i)) && !k.indexOf(P)) {
              const v = s.getItem(k) || ''
              all.push([k.slice(P.length), safe(() => JSON.parse(v)), v.length])
            }
        })
        // Newest first, so the limits drop the oldest.
        all.sort((a, b) => ((b[1] && b[1].t) || 0) - ((a[1] && a[1].t) || 0))
        const L = OUTBOX_LIMITS
        const mine: Array<[string, Stored]> = []
        let count = 0
        let chars = 0
        let dropped = 0
        let next = 0
        for (const [key, e, size] of all)
          if (!e || !e.r || ++count > L.count || (chars += size) > L.chars || e.n >= L.attempts || now - e.t > L.age) remove(key), dropped++
          else if (e.o && e.o != tab && e.x! > now) next = Math.min(next || e.x!, e.x!)
          else (e.o = tab), (e.x = now + lease), put(key, e), mine.push([key, e])
        return { mine: mine.reverse(), dropped, next }
      },
    }
  )
}
