import type { Env } from '../platform/env'
import { LEASE, OUTBOX_LIMITS, OUTBOX_PREFIX, safe, type Stored } from './outbox'

/**
 * The restore half of the outbox, a chunk of its own (`outbox.min.js`): the transport loads it
 * only when its cheap check (`any`) finds something stored, once the page is idle and, with Web
 * Locks, once it leads (see transport.ts and docs/delivery.md).
 */

export const put = (s: Storage, key: string, e: Stored) => safe(() => s.setItem(OUTBOX_PREFIX + key, JSON.stringify(e)))

export const remove = (s: Storage, key: string) => safe(() => s.removeItem(OUTBOX_PREFIX + key))

export const get = (s: Storage, key: string): Stored | undefined => safe(() => JSON.parse(s.getItem(OUTBOX_PREFIX + key)!))

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
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i)
      if (k?.startsWith(OUTBOX_PREFIX)) {
        const v = s.getItem(k)!
        all.push([k.slice(OUTBOX_PREFIX.length), safe(() => JSON.parse(v)) || {}, v.length])
      }
    }
  })
  // Newest first, so the limits drop the oldest.
  all.sort((a, b) => (b[1].t || 0) - (a[1].t || 0))
  for (const [key, e, size] of all) {
    if (!e.r || ++count > OUTBOX_LIMITS.count || (chars += size) > OUTBOX_LIMITS.chars || e.n >= OUTBOX_LIMITS.attempts || now - e.t > OUTBOX_LIMITS.age) {
      remove(s, key)
      dropped++
    } else if (e.o && e.o != tab && e.x! > now) {
      // Another live page view's: look again when its claim lapses.
      next = Math.min(next || e.x!, e.x!)
    } else {
      e.o = tab
      e.x = now + lease
      put(s, key, e)
      mine.push([key, e])
    }
  }
  return { mine: mine.reverse(), dropped, next }
}

/**
 * Takes over what earlier page views left in the outbox, and sends it (`start`: as stored, nobody
 * waiting for its delivery); looks again (`later`) when the next claim of another page view
 * lapses. With Web Locks the caller leads the restore (it holds the lock); without, a claim is
 * read back after a moment and only what is still this page view's is sent: the last writer keeps it.
 */
export function restore(
  env: Env,
  tab: string,
  pending: Pick<Map<string, unknown>, 'has'>,
  start: (k: string, e: Stored, d: () => void, s: boolean) => void,
  say: (...m: unknown[]) => void,
  later: (ms: number) => void,
) {
  const { localStorage: s, locks, clock } = env
  const now = () => clock.now()
  const { mine, dropped, next } = claim(s!, tab, now(), LEASE)
  const resume = () => {
    if (dropped) say('#dropped', dropped)
    for (const [k, e] of mine) if (!pending.has(k) && (locks || get(s!, k)?.o == tab)) start(k, e, () => undefined, true)
    if (next) later(next - now())
  }
  if (locks) resume()
  else clock.setTimeout(resume, 100)
}
