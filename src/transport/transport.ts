import type { Env } from '../platform/env'
import { createOutbox, OUTBOX_LIMITS, type Outbox, type Stored } from './outbox'

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
/**
 * How long a page view's claim on a stored request outlives its next planned attempt; also how
 * long a page view waits before trying again what it gave up on.
 */
const LEASE = 30_000
/**
 * The outbox is restored when the page is first idle (at most this long after the transport is
 * created), or this long after it without `requestIdleCallback`: never on the start-up path.
 */
export const RESTORE_AFTER = 2000

/** UTF-8 size, over-estimated for non-ASCII text (3 bytes a code unit): enough for a budget. */
const bytes = (s: string | undefined) => (s ? (/[^\0-\x7f]/.test(s) ? 3 : 1) * s.length : 0)

/** Calls fetch so that a synchronous throw (a polyfill, a wrapper, no fetch at all) becomes a rejection. */
const call = (f: typeof fetch | undefined, input: RequestInfo | URL, init: RequestInit) => new Promise<Response>((ok) => ok(f!(input, init)))

/** A request not delivered yet (in flight or waiting for a retry). */
interface Pending {
  k: string
  r: OutgoingRequest
  /** Attempts in all page views, in this one, and how many of this one's were network errors. */
  n: number
  a: number
  e: number
  /** When it was first sent; its size (URL + body). */
  t: number
  z: number
  /** Stored in the outbox. */
  s?: boolean
  /** Its retry timer. */
  h?: unknown
  d: (d: Delivery) => void
}

const noop = () => undefined

/** How debug messages name the tool a request belongs to. */
const tool = (r: OutgoingRequest) => `tool "${r.toolId || '?'}"`

/**
 * The one way out of the runtime: fetch with keepalive while the page lives (within the
 * browser's 64 KiB keepalive budget), sendBeacon once it is hiding, retries with backoff and
 * jitter for network errors, 5xx and 429, and a persistent outbox (`./outbox`) for what is not
 * delivered when the page goes, sent again on the next page view. See docs/delivery.md.
 *
 * Creating it and sending a request touch no storage and take no lock: storage is first used
 * when a request fails or the page hides, and the outbox is restored once the page is idle.
 */
export function createTransport(env: Env, note: (message: string) => void = noop): Transport {
  const { clock, locks } = env
  const doc = env.document
  const w = env.window
  let B: Outbox | undefined
  const box = () => B || (B = createOutbox(env.localStorage))
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
  /** Web Locks: 0 not asked yet, 1 waiting for the lock, 2 leading the restore. */
  let lead = 0
  let resign = noop

  /** Looks at the outbox again in `ms` (one timer: the earliest wins). */
  const later = (ms: number) => {
    const at = clock.now() + ms
    if (gone || (recheckAt && recheckAt <= at)) return
    clock.clearTimeout(recheck)
    recheckAt = at
    recheck = clock.setTimeout(restore, ms)
  }

  /** Restores the outbox when the page is idle (or after a while): never on the caller's path. */
  const soon = () => {
    const idle = w && (w as Window & { requestIdleCallback?: Window['requestIdleCallback'] }).requestIdleCallback
    if (idle) idle.call(w, () => restore(), { timeout: RESTORE_AFTER })
    else later(RESTORE_AFTER)
  }

  const hidden = () => gone || (doc && doc.visibilityState) == 'hidden'

  /** Writes the request to the outbox, claimed by this page view until `until` (0: free for any). */
  const save = (p: Pending, until: number) => {
    const b = box()
    if (!b) return
    const e: Stored = { r: p.r, n: p.n, t: p.t }
    if (until) (e.o = tab), (e.x = until)
    b.put(p.k, e)
    p.s = true
  }

  /** Settles a request: delivered or final (removed from the outbox), or kept for the next page view. */
  const finish = (p: Pending, status: number, error?: string, keep?: boolean) => {
    clock.clearTimeout(p.h)
    if (pending.delete(p.k)) held -= p.z
    if (keep) save(p, 0)
    else if (p.s) box()!.remove(p.k)
    p.d({ ok: !error, status, attempts: p.a, error })
  }

  const attempt = (p: Pending) => {
    const r = p.r
    const method = (r.method || 'GET').toUpperCase()
    const size = bytes(r.body)
    p.a++
    p.n++
    if (hidden() && method == 'POST' && size <= KEEPALIVE_MAX && !r.headers) {
      try {
        // A beacon's answer is never readable: like a no-cors request, it counts as sent.
        // (Without sendBeacon the call throws, and fetch goes instead.)
        if (env.sendBeacon!(r.url, r.body)) return finish(p, 0)
      } catch {
        // Fall through to fetch.
      }
    }
    if (!env.fetch) return finish(p, 0, 'no fetch in this environment')
    // Over the budget a request goes without keepalive: it finishes while the page lives, and the
    // outbox keeps it if the page goes first.
    const keepalive = inflight + size <= KEEPALIVE_MAX
    if (keepalive) inflight += size
    const settled = (status: number, error?: string, retryAfter?: string | null) => {
      if (keepalive) inflight -= size
      if (pending.get(p.k) != p) {
        // Handed to the outbox (the page hid) or dropped meanwhile: a delivery still empties its slot.
        if (!error && p.s) box()!.remove(p.k)
        return
      }
      // Delivered, or final (4xx other than 429).
      if (!error || (status && status != 429 && status < 500)) return finish(p, status, error)
      if (!status) p.e++
      if (p.a < MAX_ATTEMPTS) {
        // Backoff with jitter, or Retry-After in seconds (at most 60 s).
        const seconds = +(retryAfter || NaN)
        const wait = seconds >= 0 ? Math.min(seconds * 1000, 60_000) : Math.min(500 * 2 ** (p.a - 1) * (1 + env.random()), 30_000)
        save(p, clock.now() + wait + LEASE)
        p.h = clock.setTimeout(() => attempt(p), wait)
        return
      }
      if (p.e == p.a && !reported.has(r.toolId)) {
        reported.add(r.toolId)
        note(`${tool(r)}: every request to ${r.url.split('?')[0]} failed with a network error (blocked by an extension or the network?); kept for the next page view`)
      }
      const keep = p.n < OUTBOX_LIMITS.attempts && !!box()
      // Kept: the next page view sends it, or this one after a pause (twice at most), whichever comes first.
      if (keep && rechecks < 2 && !recheckAt) rechecks++, later(LEASE)
      finish(p, status, error, keep)
    }
    call(env.fetch, r.url, { method, headers: r.headers, body: r.body, mode: r.mode, credentials: r.credentials, keepalive }).then(
      (res) => (res.type == 'opaque' ? settled(0) : settled(res.status, res.ok ? undefined : 'HTTP ' + res.status, res.headers.get('Retry-After'))),
      (e) => settled(0, String((e && e.message) || e)),
    )
  }

  /** Starts sending a request, within the outbox's limits (the oldest request waiting is dropped past them). */
  const start = (p: Pending) => {
    while (pending.size && (pending.size >= OUTBOX_LIMITS.count || held + p.z > OUTBOX_LIMITS.chars)) {
      const old = pending.values().next().value!
      note(`too many requests waiting; dropped the oldest (${tool(old.r)})`)
      finish(old, 0, 'dropped: too many requests waiting')
    }
    pending.set(p.k, p)
    held += p.z
    attempt(p)
  }

  /** Sends what `claim` took over, and looks again when the next other claim lapses. */
  const resume = ({ mine, dropped, next }: ReturnType<Outbox['claim']>) => {
    if (dropped) note(`the outbox was over its limits (or held requests too old or tried too often): dropped ${dropped}`)
    for (const [k, e] of mine) if (!pending.has(k)) start({ k, r: e.r, n: e.n, a: 0, e: 0, t: e.t, z: bytes(e.r.url) + bytes(e.r.body), s: true, d: noop })
    if (next) later(next - clock.now())
  }

  /** Takes over what earlier page views left in the outbox, and sends it. */
  const restore = () => {
    clock.clearTimeout(recheck)
    recheckAt = 0
    const b = !gone && box()
    if (!b) return
    const take = () => b.claim(tab, clock.now(), LEASE)
    // With Web Locks, one live page view of the site at a time restores the outbox: it holds the
    // lock until it leaves, and the next page view in line takes over then. (A lock around each
    // claim alone is not enough: another tab may not see this tab's claims in localStorage yet.)
    if (locks) {
      if (lead > 1) resume(take())
      else if (!lead) {
        lead = 1
        locks
          .request('tagrelay_outbox', () =>
            gone
              ? (lead = 0)
              : new Promise<void>((release) => {
                  lead = 2
                  resign = () => {
                    lead = 0
                    resign = noop
                    release()
                  }
                  restore()
                }),
          )
          .catch(() => (lead = 0))
      }
      return
    }
    // Without Web Locks, a claim is read back after a moment: the last writer keeps it.
    const got = take()
    clock.setTimeout(() => resume({ ...got, mine: got.mine.filter(([k]) => (b.get(k) || {}).o == tab) }), 100)
  }

  if (w && doc) {
    // Hidden: the page may be killed at any time, so everything pending is stored, still claimed by this page view.
    doc.addEventListener('visibilitychange', () => {
      if (hidden()) for (const p of pending.values()) if (!p.s) save(p, clock.now() + LEASE)
    })
    // Leaving (never `unload`: it would keep the page out of the back-forward cache): hand
    // everything pending to the next page view, free to take at once.
    w.addEventListener('pagehide', () => {
      gone = true
      clock.clearTimeout(recheck)
      for (const p of pending.values()) if (box()) finish(p, 0, 'the page went away; kept in the outbox', true)
      resign()
    })
    w.addEventListener('pageshow', (e) => {
      if ((e as PageTransitionEvent).persisted) {
        gone = false
        soon()
      }
    })
  }
  soon()

  return {
    send(req) {
      const r = { ...req }
      if (r.kind == 'image')
        return new Promise((done) => {
          const Img = w && (w as Window & { Image?: typeof Image }).Image
          if (!Img) return done({ ok: false, status: 0, attempts: 1, error: 'no Image in this environment' })
          const img = new Img()
          img.onload = () => done({ ok: true, status: 0, attempts: 1 })
          // An image endpoint answering with something that is not an image still received the request.
          img.onerror = () => done({ ok: true, status: 0, attempts: 1, error: 'not an image (request was sent)' })
          img.src = r.url
        })
      if (r.idParam && r.eventId) {
        try {
          const u = new URL(r.url)
          u.searchParams.set(r.idParam, r.eventId)
          r.url = u.href
        } catch {
          // Not an absolute URL: sent as it is.
        }
      }
      const z = bytes(r.url) + bytes(r.body)
      return new Promise((d) => {
        if (z <= MAX_REQUEST_BYTES) return start({ k: tab + '.' + seq++, r, n: 0, a: 0, e: 0, t: clock.now(), z, d })
        note(`${tool(r)}: a request of about ${z} bytes was not sent (the limit is ${MAX_REQUEST_BYTES})`)
        d({ ok: false, status: 0, attempts: 0, error: `too large: ${z} bytes` })
      })
    },
    fetch(input, init) {
      const body = init && init.body
      // Without fetch in the environment the call throws, which `call` turns into a rejected TypeError.
      return call(env.fetch, input, { keepalive: body == null || (typeof body == 'string' && bytes(body) <= KEEPALIVE_MAX), ...init })
    },
  }
}
