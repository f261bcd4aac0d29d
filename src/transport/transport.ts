import type { Env } from '../platform/env'
import { createOutbox, OUTBOX_LIMITS, type Stored } from './outbox'

/** A request a tool wants sent. */
export interface OutgoingRequest {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** `image`: an `<img>` request (no CORS, no body). */
  kind?: 'fetch' | 'image'
  mode?: RequestMode
  credentials?: RequestCredentials
  /** The event the request belongs to, so a retry is recognisable. */
  eventId?: string
  toolId?: string
  /** A query parameter that carries `eventId` to the collector (the HTTP Request tool: `tagrelay_id`). */
  idParam?: string
}

export interface Delivery {
  ok: boolean
  /** HTTP status when readable; 0 for opaque (`no-cors`) and image requests. */
  status: number
  attempts: number
  error?: string
}

export interface Transport {
  send(request: OutgoingRequest): Promise<Delivery>
  /** A readable fetch for `manager.fetch`, with the same keepalive handling. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
}

/** The browser's budget for all keepalive bodies in flight is 64 KiB; stay under it. */
const KEEPALIVE_MAX = 60_000
/** A request whose URL and body exceed this (estimated UTF-8 bytes) is not sent. */
export const MAX_REQUEST_BYTES = 131_072
/** Attempts per page view; what is left goes to the next page view through the outbox. */
const MAX_ATTEMPTS = 4
/** How long a page view's claim on a stored request outlives its next planned attempt. */
const LEASE = 30_000
/** How long a page view waits before trying again what it gave up on. */
const RECHECK = 30_000

const retryable = (status: number) => status == 429 || status >= 500

/** UTF-8 size, over-estimated for non-ASCII text (3 bytes a code unit): enough for a budget. */
const bytes = (s: string | undefined) => (s ? (/[^\0-\x7f]/.test(s) ? 3 : 1) * s.length : 0)

/** Calls fetch so that a synchronous throw (a polyfill, a wrapper) becomes a rejection like a network error. */
const call = (f: typeof fetch, input: RequestInfo | URL, init: RequestInit): Promise<Response> => {
  try {
    return f(input, init)
  } catch (e) {
    return Promise.reject(e)
  }
}

/** A request not delivered yet (in flight or waiting for a retry). */
interface Pending {
  k: string
  r: OutgoingRequest
  /** Attempts in all page views, in this one, and how many of this one's were network errors. */
  n: number
  a: number
  e: number
  t: number
  size: number
  /** Stored in the outbox. */
  s?: boolean
  h?: unknown
  done: (d: Delivery) => void
}

const noop = () => undefined

/**
 * The one way out of the runtime: fetch with keepalive while the page lives (within the
 * browser's 64 KiB keepalive budget), sendBeacon once it is hiding, retries with backoff and
 * jitter for network errors, 5xx and 429, and a persistent outbox (`./outbox`) for what is not
 * delivered when the page goes, sent again on the next page view. See docs/delivery.md.
 */
export function createTransport(env: Env, note: (message: string) => void = noop): Transport {
  const { clock } = env
  const doc = env.document
  const box = createOutbox(env.localStorage)
  const tab = env.random().toString(36).slice(2, 10) + clock.now().toString(36)
  const pending = new Map<string, Pending>()
  const reported = new Set<string | undefined>()
  let seq = 0
  let held = 0
  let inflight = 0
  let gone = false
  let recheck: unknown
  let recheckAt = 0
  let rechecks = 0

  /** Looks at the outbox again in `ms` (one timer: the earliest wins). */
  const later = (ms: number) => {
    const at = clock.now() + ms
    if (gone || (recheckAt && recheckAt <= at)) return
    clock.clearTimeout(recheck)
    recheckAt = at
    recheck = clock.setTimeout(restore, ms)
  }

  const hidden = () => gone || doc?.visibilityState == 'hidden'

  const delay = (attempt: number, retryAfter: string | null | undefined) => {
    const seconds = retryAfter ? Number(retryAfter) : NaN
    if (seconds >= 0) return Math.min(seconds * 1000, 60_000)
    return Math.min(500 * 2 ** attempt * (1 + env.random()), 30_000)
  }

  const image = (url: string): Promise<Delivery> =>
    new Promise((resolve) => {
      const Img = (env.window as (Window & { Image?: typeof Image }) | undefined)?.Image
      if (!Img) return resolve({ ok: false, status: 0, attempts: 1, error: 'no Image in this environment' })
      const img = new Img()
      img.onload = () => resolve({ ok: true, status: 0, attempts: 1 })
      // An image endpoint answering with something that is not an image still received the request.
      img.onerror = () => resolve({ ok: true, status: 0, attempts: 1, error: 'not an image (request was sent)' })
      img.src = url
    })

  /** Writes the request to the outbox, claimed by this page view until `until` (0: free for any). */
  const save = (p: Pending, until: number) => {
    if (!box) return
    const e: Stored = { r: p.r, n: p.n, t: p.t }
    if (until) (e.o = tab), (e.x = until)
    box.put(p.k, e)
    p.s = true
  }

  const forget = (p: Pending) => {
    clock.clearTimeout(p.h)
    if (pending.get(p.k) == p) {
      pending.delete(p.k)
      held -= p.size
    }
  }

  /** Settles a request: delivered or final (removed from the outbox), or kept for the next page view. */
  const finish = (p: Pending, d: Delivery, keep?: boolean) => {
    forget(p)
    if (keep) save(p, 0)
    else if (p.s) box!.remove(p.k)
    p.done(d)
  }

  const attempt = (p: Pending) => {
    const r = p.r
    const method = (r.method || 'GET').toUpperCase()
    const size = bytes(r.body)
    p.a++
    p.n++
    if (hidden() && method == 'POST' && env.sendBeacon && size <= KEEPALIVE_MAX && !r.headers) {
      try {
        // A beacon's answer is never readable: like a no-cors request, it counts as sent.
        if (env.sendBeacon(r.url, r.body)) return finish(p, { ok: true, status: 0, attempts: p.a })
      } catch {
        // Fall through to fetch.
      }
    }
    if (!env.fetch) return finish(p, { ok: false, status: 0, attempts: p.a, error: 'no fetch in this environment' })
    // Over the budget a request goes without keepalive: it finishes while the page lives, and the
    // outbox keeps it if the page goes first.
    const keepalive = inflight + size <= KEEPALIVE_MAX
    if (keepalive) inflight += size
    const init: RequestInit = { method, headers: r.headers, body: r.body, mode: r.mode, credentials: r.credentials, keepalive }
    const settled = (status: number, error?: string, retryAfter?: string | null) => {
      if (keepalive) inflight -= size
      if (pending.get(p.k) != p) {
        // Handed to the outbox (the page hid) or dropped meanwhile: a delivery still empties its slot.
        if (!error && p.s) box!.remove(p.k)
        return
      }
      if (!error || (status && !retryable(status))) return finish(p, { ok: !error, status, attempts: p.a, error })
      if (!status) p.e++
      if (p.a >= MAX_ATTEMPTS) {
        if (p.e == p.a && !reported.has(r.toolId)) {
          reported.add(r.toolId)
          note(`tool "${r.toolId ?? '?'}": every request to ${r.url.split('?')[0]} failed with a network error (blocked by an extension or the network?); kept for the next page view`)
        }
        const keep = !!box && p.n < OUTBOX_LIMITS.attempts
        // Kept: the next page view sends it, or this one after a pause (twice at most), whichever comes first.
        if (keep && rechecks < 2 && !recheckAt) rechecks++, later(RECHECK)
        return finish(p, { ok: false, status, attempts: p.a, error }, keep)
      }
      const wait = delay(p.a - 1, retryAfter)
      save(p, clock.now() + wait + LEASE)
      p.h = clock.setTimeout(() => attempt(p), wait)
    }
    call(env.fetch, r.url, init).then(
      (res) => {
        if (res.type == 'opaque') return settled(0)
        settled(res.status, res.ok ? undefined : `HTTP ${res.status}`, res.headers.get('Retry-After'))
      },
      (e) => settled(0, String((e as Error)?.message || e)),
    )
  }

  /** Starts sending a request, within the outbox's limits (the oldest request waiting is dropped past them). */
  const start = (p: Pending) => {
    while (pending.size && (pending.size >= 1000 || held + p.size > 500_000)) {
      const old = pending.values().next().value!
      note(`too many requests waiting; dropped the oldest (tool "${old.r.toolId ?? '?'}")`)
      finish(old, { ok: false, status: 0, attempts: old.a, error: 'dropped: too many requests waiting' })
    }
    pending.set(p.k, p)
    held += p.size
    attempt(p)
  }

  /** Sends what `claim` took over, and looks again when the next other claim lapses. */
  const resume = ({ mine, dropped, next }: ReturnType<NonNullable<typeof box>['claim']>) => {
    if (dropped) note(`the outbox was over its limits (or held requests too old or tried too often): dropped ${dropped}`)
    for (const [k, e] of mine)
      if (!pending.has(k)) start({ k, r: e.r, n: e.n, a: 0, e: 0, t: e.t, size: bytes(e.r.url) + bytes(e.r.body), s: true, done: noop })
    if (next) later(next - clock.now())
  }

  // With Web Locks, one live page view of the site at a time restores the outbox: it holds the
  // lock until it leaves, and the next page view in line takes over then. (A lock around each
  // claim alone is not enough: another tab may not see this tab's claims in localStorage yet.)
  let leading: boolean | undefined
  let resign = noop
  const lead = () => {
    if (leading !== undefined) return
    leading = false
    env.locks!.request('tagrelay_outbox', () =>
      new Promise<void>((release) => {
        leading = true
        resign = () => {
          leading = undefined
          resign = noop
          release()
        }
        restore()
      }),
    ).catch(noop)
  }

  /** Takes over what earlier page views left in the outbox, and sends it. */
  const restore = () => {
    if (!box || gone) return
    clock.clearTimeout(recheck)
    recheckAt = 0
    const take = () => box.claim(tab, clock.now(), LEASE)
    if (env.locks) return leading ? resume(take()) : lead()
    // Without Web Locks, a claim is read back after a moment: the last writer keeps it.
    const got = take()
    clock.setTimeout(() => resume({ ...got, mine: got.mine.filter(([k]) => box.get(k)?.o == tab) }), 100)
  }

  const w = env.window
  if (box && w && doc) {
    // Hidden: the page may be killed at any time, so everything pending is stored, still claimed by this page view.
    doc.addEventListener('visibilitychange', () => {
      if (doc.visibilityState == 'hidden') for (const p of pending.values()) if (!p.s) save(p, clock.now() + LEASE)
    })
    // Leaving (never `unload`: it would keep the page out of the back-forward cache): hand
    // everything pending to the next page view, free to take at once.
    w.addEventListener('pagehide', () => {
      gone = true
      clock.clearTimeout(recheck)
      for (const p of Array.from(pending.values())) finish(p, { ok: false, status: 0, attempts: p.a, error: 'the page went away; kept in the outbox' }, true)
      resign()
    })
    w.addEventListener('pageshow', (e) => {
      if ((e as PageTransitionEvent).persisted) {
        gone = false
        restore()
      }
    })
  }
  restore()

  return {
    send(req) {
      if (req.kind == 'image') return image(req.url)
      const r = { ...req }
      if (r.idParam && r.eventId) {
        try {
          const u = new URL(r.url)
          u.searchParams.set(r.idParam, r.eventId)
          r.url = u.href
        } catch {
          // Not an absolute URL: sent as it is.
        }
      }
      const size = bytes(r.url) + bytes(r.body)
      if (size > MAX_REQUEST_BYTES) {
        note(`tool "${r.toolId ?? '?'}": a request of about ${size} bytes was not sent (the limit is ${MAX_REQUEST_BYTES})`)
        return Promise.resolve({ ok: false, status: 0, attempts: 0, error: `too large: ${size} bytes` })
      }
      return new Promise((done) => start({ k: tab + '.' + seq++, r, n: 0, a: 0, e: 0, t: clock.now(), size, done }))
    },
    fetch(input, init) {
      if (!env.fetch) return Promise.reject(new TypeError('no fetch in this environment'))
      const body = init?.body
      const small = body == null || (typeof body == 'string' && bytes(body) <= KEEPALIVE_MAX)
      return call(env.fetch, input, { keepalive: small, ...init })
    },
  }
}
