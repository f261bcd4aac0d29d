/**
 * Helpers for unit-testing a tracking plan: a transport that records instead of sending, and a
 * clock you move by hand. Pass them to `createZaraz({ transport, env: { clock } })`.
 */
import type { Clock } from '../platform/env'
import type { Delivery, OutgoingRequest, Transport } from '../transport/transport'

export interface RecordedRequest extends OutgoingRequest {
  /** The JSON body parsed, or the urlencoded body as an object, when there is one. */
  json?: unknown
}

export interface RecordingTransport extends Transport {
  requests: RecordedRequest[]
  /** Resolves when at least `count` requests were recorded (after pending microtasks and timers ran). */
  waitFor(count: number, timeoutMs?: number): Promise<RecordedRequest[]>
  clear(): void
}

const parse = (req: OutgoingRequest): unknown => {
  if (!req.body) return undefined
  const type = req.headers?.['content-type'] ?? req.headers?.['Content-Type'] ?? ''
  if (type.includes('urlencoded')) return Object.fromEntries(new URLSearchParams(req.body))
  try {
    return JSON.parse(req.body)
  } catch {
    return undefined
  }
}

export function createRecordingTransport(respond: (req: OutgoingRequest) => Delivery = () => ({ ok: true, status: 204, attempts: 1 })): RecordingTransport {
  const requests: RecordedRequest[] = []
  const record = (req: OutgoingRequest) => {
    requests.push({ ...req, json: parse(req) })
  }
  return {
    requests,
    send(req) {
      record(req)
      return Promise.resolve(respond(req))
    },
    fetch(input, init) {
      const url = typeof input == 'string' ? input : input instanceof URL ? input.href : input.url
      const req: OutgoingRequest = {
        url,
        method: init?.method,
        body: typeof init?.body == 'string' ? init.body : undefined,
        headers: init?.headers ? Object.fromEntries(new Headers(init.headers).entries()) : undefined,
      }
      const d = respond(req)
      record(req)
      return Promise.resolve(new Response(null, { status: d.status || 204 }))
    },
    waitFor(count, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const started = Date.now()
        const check = () => {
          if (requests.length >= count) return resolve(requests.slice())
          if (Date.now() - started > timeoutMs)
            return reject(new Error(`expected ${count} requests, got ${requests.length}: ${requests.map((r) => r.url).join(', ')}`))
          setTimeout(check, 5)
        }
        check()
      })
    },
    clear() {
      requests.length = 0
    },
  }
}

export interface FakeClock extends Clock {
  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void
}

export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq
      timers.set(id, { at: now + Math.max(0, ms || 0), fn })
      return id
    },
    clearTimeout(h) {
      timers.delete(h as number)
    },
    advance(ms) {
      const end = now + ms
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined
        for (const e of timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e
        if (!next) break
        timers.delete(next[0])
        now = next[1].at
        next[1].fn()
      }
      now = end
    },
  }
}
