import type { ChunkLoader, Env } from '../platform/env'
import { LEASE, OUTBOX_LIMITS, OUTBOX_PREFIX, safe, type Stored } from './outbox'
import { createLeader } from './leader'
import { nextStep, type Answer } from './retry'
import type * as RestoreModule from './restore'
import { why } from '../lib/warn'

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
  /** The tool's consent purpose when the request was made: checked at each attempt, stored with it (docs/consent.md). */
  purpose?: string
  /** A query parameter that carries `eventId` to the collector (the HTTP Request tool: `tagrelay_id`). */
  idParam?: string
}

export interface Delivery {
  ok: boolean
  /** HTTP status when readable; 0 for opaque (`no-cors`) and image requests. */
  status: number
  attempts: number
  /** The network error, `HTTP <status>`, or the transport's own reason as a note id (`#left`, `#toomany`, `#big`: words in debug/notes.ts). */
  error?: string
}

export interface Transport {
  send(request: OutgoingRequest): Promise<Delivery>
  /** A readable fetch for `manager.fetch`, with the same keepalive handling. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Consent choices may have changed: requests held for consent are tried, refused ones dropped. */
  recheck?(): void
}

/** The browser's budget for all keepalive bodies in flight is 64 KiB; stay under it. */
const KEEPALIVE_MAX = 60_000
/** A request whose URL and body exceed this (estimated UTF-8 bytes) is not sent. */
export const MAX_REQUEST_BYTES = 131_072
/**
 * The outbox is restored in the first idle period (`requestIdleCallback`, with this timeout)
 * after the page view's first request went out, or after this long when it sends nothing sooner;
 * without `requestIdleCallback`, this long after either. Never on the start-up path.
 */
export const RESTORE_AFTER = 2000

/**
 * At most this many fetches in flight to one host; the others wait in its line, in order.
 * Chromium opens 6 connections to a host and queues the rest itself, where the timeout below would
 * count against them, and refuses thousands at once (`ERR_INSUFFICIENT_RESOURCES`).
 */
const PER_HOST = 6
/** An attempt not answered after this long is aborted and counts as a network error. */
export const ATTEMPT_TIMEOUT = 10_000
/**
 * What a page view keeps in memory at most (requests in flight or waiting): a burst of 10,000
 * small requests fits. Past it a request goes to the outbox at once, or is dropped when that is full too.
 */
export const HELD = { count: 10_000, bytes: 2_000_000 }

/** UTF-8 size, over-estimated for non-ASCII text (3 bytes a code unit): enough for a budget. */
const bytes = (s: string | undefined) => {
  if (!s) return 0
  return /[^\0-\x7f]/.test(s) ? 3 * s.length : s.length
}

/** Whether any key of the storage is the outbox's. */
const anyStored = (s: Storage) => {
  for (let i = 0; i < s.length; i++) if (s.key(i)?.startsWith(OUTBOX_PREFIX)) return true
  return false
}

/** A request's size: its URL and body. */
const size = (r: OutgoingRequest) => bytes(r.url) + bytes(r.body)

/** A delivery: ok unless there is an error. */
const delivery = (status: number, attempts: number, error?: string): Delivery => ({ ok: !error, status, attempts, error })

/** A host's fetches in flight, the requests waiting for one of its slots, and whether it let an attempt time out (until it answers again). */
interface Lane {
  _busy: number
  _line: Pending[]
  _slow?: boolean
}

/** A request not delivered yet (in flight or waiting for a retry). */
interface Pending {
  /** Its outbox key. */
  _key: string
  /** The request, its attempts in all page views and when it was first sent, as the outbox stores them. */
  _record: Stored
  /** Attempts in this page view, and how many of them were network errors. */
  _attemptsHere: number
  _networkErrors: number
  /** Stored in the outbox. */
  _stored?: boolean
  _retryTimer?: unknown
  /** Settles the promise `send` returned (the first call counts). */
  _settle: (delivery: Delivery) => void
}

/**
 * The one way out of the runtime: fetch with keepalive while the page lives (within the
 * browser's 64 KiB keepalive budget), sendBeacon once it is hiding, retries with backoff and
 * jitter for network errors, 5xx and 429, and a persistent outbox (`./outbox`) for what is not
 * delivered when the page goes, sent again on the next page view. See docs/delivery.md.
 *
 * Creating it and sending a request touch no storage and take no lock: storage is first used
 * when a request fails or the page hides, and the outbox is restored once the page is idle, by
 * its restore half (`./restore`), which `load` fetches as the `outbox` chunk only when something
 * is stored (without `load`, stored requests are left for a page view that has one).
 *
 * `consent` (the consent gate's `check`) judges each attempt by the request's purpose at that
 * moment (see `consented`).
 */
export function createTransport(env: Env, note?: (message: string) => void, load?: ChunkLoader, consent: (purpose?: string) => boolean | undefined = () => true): Transport {
  /** A debug note: `#id` and its arguments, one a line (their words: debug/notes.ts). */
  const say = (...m: unknown[]) => note?.(m.join('\n'))
  const { clock, locks } = env
  const doc = env.document
  const w = env.window as (Window & { requestIdleCallback?: Window['requestIdleCallback']; Image?: typeof Image }) | undefined
  const now = () => clock.now()
  /**
   * Calls fetch so that a synchronous throw (a polyfill, a wrapper, no fetch at all) becomes a
   * rejection. Called as a plain function, not as `env.fetch(…)`: a page's own `window.fetch` handed
   * over unbound refuses `env` as its `this` ("Illegal invocation").
   */
  const call = (input: RequestInfo | URL, init: RequestInit, f = env.fetch) => new Promise<Response>((ok) => ok(f!(input, init)))
  const tab = env.random().toString(36).slice(2)
  const pending = new Map<string, Pending>()
  /** Pending requests kept untried while their purpose is undecided (see `consented`). */
  const waiting = new Set<Pending>()
  const reported = new Set<string | undefined>()
  let seq = 0
  let held = 0
  let inflight = 0
  /** This page view's requests in the outbox (written minus removed): at most `OUTBOX_LIMITS.count` (see `save`). */
  let kept = 0
  let gone = false
  let recheck: unknown
  /** The restore is not scheduled yet (see RESTORE_AFTER). */
  let first = true
  /** With Web Locks, the page view that restores the outbox (see leader.ts). */
  const leader = locks && createLeader(locks, () => gone, () => restore())

  /** Looks at the outbox again in `ms`. */
  const later = (ms: number) => {
    clock.clearTimeout(recheck)
    recheck = clock.setTimeout(restore, ms)
  }

  /** Restores the outbox when the page is idle (or in `ms` without requestIdleCallback): never on the caller's path. */
  const soon = (ms: number) => {
    first = false
    if (w?.requestIdleCallback) w.requestIdleCallback(restore, { timeout: RESTORE_AFTER })
    else later(ms)
  }

  const hidden = () => gone || doc?.visibilityState == 'hidden'

  /**
   * Writes the request to the outbox, claimed by this page view until `until` (0: free for any);
   * `_stored` once written. A page view stores at most `OUTBOX_LIMITS.count` requests of its own: past
   * that a request lives in memory only, so that a burst never fills the site's storage.
   */
  const save = (p: Pending, until: number) => {
    if (!p._stored && kept >= OUTBOX_LIMITS.count) return
    const stored: Stored = { ...p._record, o: until && tab, x: until }
    safe(() => {
      env.localStorage!.setItem(OUTBOX_PREFIX + p._key, JSON.stringify(stored))
      if (!p._stored) kept++
      p._stored = true
    })
  }

  /** Takes the request out of the outbox, if it was stored. */
  const unsave = (p: Pending) => {
    if (!p._stored) return
    safe(() => {
      env.localStorage!.removeItem(OUTBOX_PREFIX + p._key)
      kept--
      p._stored = false
    })
  }

  // In flight: at most PER_HOST fetches to a host; the other requests wait in its line, in order.
  const lanes = new Map<string, Lane>()
  /** The slots and line of the request's host (a relative URL's: ''). */
  const laneOf = (r: OutgoingRequest) => {
    const host = r.url.split('/')[2] || ''
    let lane = lanes.get(host)
    if (!lane) {
      lane = { _busy: 0, _line: [] }
      lanes.set(host, lane)
    }
    return lane
  }
  /** A slot is given back: the requests waiting go, oldest first (one settled meanwhile is skipped). */
  const release = (lane: Lane) => {
    lane._busy--
    while (lane._busy < PER_HOST && lane._line.length) {
      const next = lane._line.shift()!
      if (pending.get(next._key) == next) attempt(next)
    }
  }

  /** Settles a request: delivered or final (removed from the outbox), or kept for the next page view. */
  const finish = (p: Pending, status: number, error?: string, keep?: boolean) => {
    clock.clearTimeout(p._retryTimer)
    waiting.delete(p)
    if (pending.delete(p._key)) held -= size(p._record.r)
    if (keep) save(p, 0)
    else unsave(p)
    p._settle(delivery(status, p._attemptsHere, error))
  }

  // ---- Consent, at every attempt (the first, each retry, a beacon, a request restored from the
  // outbox), by the purpose the request was made for: refused, it is dropped (from the outbox too);
  // undecided, kept untried (its promise waits) until `recheck` (choices changed) or the next page view.
  /** Whether `p` may go now; if not, dropped (refused) or kept in `waiting` (undecided). */
  const consented = (p: Pending) => {
    const r = p._record.r
    const v = consent(r.purpose)
    if (v === false) {
      say('#unsent', r.toolId, r.purpose)
      finish(p, 0, '#refused\n' + r.purpose)
    } else if (!v) waiting.add(p)
    return v
  }

  const attempt = (p: Pending) => {
    if (!consented(p)) return
    const r = p._record.r
    const method = (r.method || 'GET').toUpperCase()
    const size = bytes(r.body)
    const lane = laneOf(r)
    if (lane._busy >= PER_HOST) {
      lane._line.push(p)
      return
    }
    p._attemptsHere++
    p._record.n++
    // A beacon's answer is never readable: like a no-cors request, it counts as sent. (Without
    // sendBeacon the call throws, and fetch goes instead, as it does when the beacon is refused.)
    if (hidden() && method == 'POST' && size <= KEEPALIVE_MAX && !r.headers && safe(() => env.sendBeacon!(r.url, r.body))) return finish(p, 0)
    if (!env.fetch) return finish(p, 0, 'no fetch')
    // Over the budget a request goes without keepalive: it finishes while the page lives, and the
    // outbox keeps it if the page goes first. So does a request to a host that did not answer in time
    // (`slow`): Chromium does not cancel an aborted keepalive request, which keeps its connection.
    const keepalive = !lane._slow && inflight + size <= KEEPALIVE_MAX
    if (keepalive) inflight += size
    lane._busy++
    // A collector that never answers holds the slot this long at most (the fetch is aborted where it can be).
    const abort = safe(() => new AbortController())
    const timer = clock.setTimeout(() => {
      lane._slow = true
      abort?.abort()
      settled({ status: 0, error: 'timeout' })
    }, ATTEMPT_TIMEOUT)
    let over = false
    const settled = (answer: Answer) => {
      const { status, error } = answer
      // The answer or the timeout, whichever comes first.
      if (over) return
      over = true
      clock.clearTimeout(timer)
      if (keepalive) inflight -= size
      release(lane)
      if (pending.get(p._key) != p) {
        // Handed to the outbox (the page hid) or dropped meanwhile: a delivery still empties its slot.
        if (!error) unsave(p)
        return
      }
      if (error && !status) p._networkErrors++
      const next = nextStep(answer, p._attemptsHere, p._record.n, () => !!env.localStorage, () => env.random(), LEASE)
      if (next._step == 'finish') return finish(p, status, error)
      if (next._step == 'stop' || next._roundOver) {
        // After each round of attempts the caller's promise settles (the first time), and a tool
        // whose every attempt was a network error is reported.
        if (p._networkErrors == p._attemptsHere && !reported.has(r.toolId)) {
          reported.add(r.toolId)
          say('#blocked', r.toolId, r.url.split('?')[0])
        }
        p._settle(delivery(status, p._attemptsHere, error))
      }
      if (next._step == 'stop') return finish(p, status, error, next._keep)
      save(p, now() + next._wait + LEASE)
      p._retryTimer = clock.setTimeout(() => attempt(p), next._wait)
    }
    // The request's own fields (method, headers, body, mode, credentials); fetch ignores the others.
    call(r.url, { ...r, method, keepalive, signal: abort?.signal })
      // An opaque (no-cors) answer, status 0, counts as sent. What is not a Response (from a page's
      // fetch wrapper) throws here, and counts as a network error.
      .then((res): Answer => ({ status: res.status, error: res.ok || res.type == 'opaque' ? undefined : 'HTTP ' + res.status, _retryAfter: res.headers.get('Retry-After') }))
      .then(
        (answer) => {
          lane._slow = false
          settled(answer)
        },
        (e) => settled({ status: 0, error: why(e) || 'failed' }),
      )
  }

  /** Starts sending a request (`stored`: it is in the outbox); past what memory holds (HELD) it goes to the outbox at once. */
  const start = (key: string, e: Stored, settle: Pending['_settle'], stored?: boolean) => {
    const p: Pending = { _key: key, _record: e, _attemptsHere: 0, _networkErrors: 0, _stored: stored, _settle: settle }
    const z = size(e.r)
    if (pending.size >= HELD.count || held + z > HELD.bytes) {
      say('#full', e.r.toolId)
      // This page view looks at the outbox again once nothing went there for a lease.
      later(LEASE)
      return finish(p, 0, '#toomany', true)
    }
    pending.set(p._key, p)
    held += z
    attempt(p)
  }

  /** The outbox's restore half (`./restore`), once loaded. */
  let box: typeof RestoreModule.restore | undefined

  /** Takes over what earlier page views left in the outbox, and sends it. */
  const restore = () => {
    clock.clearTimeout(recheck)
    const s = !gone && env.localStorage
    if (!s) return
    // The lock is asked for whether or not anything is stored now, so that the page view in line
    // still takes over what others store meanwhile.
    if (leader && !leader._leads()) leader._ask()
    else if (box) box(env, tab, pending, start, say, later)
    // The restore half is a chunk, loaded only when a key is the outbox's (a key that vanishes
    // meanwhile counts as one: the restore then finds nothing); if it fails to load, another try after a lease.
    else if (safe(() => anyStored(s)))
      load?.('outbox').then(
        (m) => {
          box = (m as typeof RestoreModule).restore
          restore()
        },
        () => later(LEASE),
      )
  }

  if (w && doc) {
    // Hidden: the page may be killed at any time, so everything pending is stored, still claimed by this page view.
    doc.addEventListener('visibilitychange', () => {
      if (hidden()) for (const p of pending.values()) if (!p._stored) save(p, now() + LEASE)
    })
    // Leaving (never `unload`: it would keep the page out of the back-forward cache): hand
    // everything pending to the next page view, free to take at once.
    w.addEventListener('pagehide', () => {
      gone = true
      clock.clearTimeout(recheck)
      if (env.localStorage) for (const p of pending.values()) finish(p, 0, '#left', true)
      leader?._resign()
    })
    w.addEventListener('pageshow', (e) => {
      if ((e as PageTransitionEvent).persisted) {
        gone = false
        soon(0)
      }
    })
  }
  // A page view that sends nothing restores the outbox after a while all the same (one that has
  // sent something has scheduled it then: this timer then does nothing).
  recheck = clock.setTimeout(() => {
    if (first) soon(0)
  }, RESTORE_AFTER)

  return {
    send(req) {
      const r = { ...req }
      if (r.kind == 'image')
        return new Promise<Delivery>((done) => {
          // Without Image in the environment this throws: the promise then settles as not sent.
          const img = new w!.Image!()
          // An image endpoint answering with something that is not an image still received the request.
          img.onload = img.onerror = () => done(delivery(0, 1))
          img.src = r.url
        }).catch(() => delivery(0, 1, 'no Image'))
      if (r.idParam && r.eventId) {
        try {
          const u = new URL(r.url)
          u.searchParams.set(r.idParam, r.eventId)
          r.url = u.href
        } catch {
          // Not an absolute URL: sent as it is.
        }
      }
      const z = size(r)
      const sent = new Promise<Delivery>((settle) => {
        if (z <= MAX_REQUEST_BYTES) return start(tab + '.' + seq++, { r, n: 0, t: now() }, settle)
        say('#large', r.toolId, z)
        settle(delivery(0, 0, '#big\n' + z))
      })
      // The first request is on its way: the restore may follow once the page is idle.
      if (first) soon(RESTORE_AFTER)
      return sent
    },
    recheck() {
      // What waited for consent is tried; what is refused now is dropped at once, even while it
      // waits for a retry or is in flight.
      for (const p of [...pending.values()]) if (waiting.delete(p) || consent(p._record.r.purpose) === false) attempt(p)
    },
    fetch(input, init) {
      const body = init?.body
      // Without fetch in the environment the call throws, which `call` turns into a rejected TypeError.
      return call(input, { keepalive: typeof (body ?? '') == 'string' && bytes(body as string) <= KEEPALIVE_MAX, ...init })
    },
  }
}
