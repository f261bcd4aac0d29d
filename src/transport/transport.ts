import type { Env } from '../platform/env'

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

/** The browser's budget for all keepalive bodies in flight is 64 KiB; stay under it per request. */
const KEEPALIVE_MAX = 60_000
const MAX_ATTEMPTS = 4

const retryable = (status: number) => status == 429 || status >= 500

/** Calls fetch so that a synchronous throw (a polyfill, a wrapper) becomes a rejection like a network error. */
const call = (f: typeof fetch, input: RequestInfo | URL, init: RequestInit): Promise<Response> => {
  try {
    return f(input, init)
  } catch (e) {
    return Promise.reject(e)
  }
}

/**
 * The one way out of the runtime: fetch with keepalive while the page lives, sendBeacon once it
 * is hiding, retries with backoff and jitter for network errors, 5xx and 429.
 */
export function createTransport(env: Env): Transport {
  const hidden = () => env.document?.visibilityState == 'hidden'

  const delay = (attempt: number, retryAfter: string | null) => {
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

  const send = (req: OutgoingRequest, attempt = 0): Promise<Delivery> => {
    if (req.kind == 'image') return image(req.url)
    const method = (req.method || 'GET').toUpperCase()
    const size = req.body ? req.body.length : 0
    if (hidden() && method == 'POST' && env.sendBeacon && size <= KEEPALIVE_MAX && !req.headers) {
      try {
        if (env.sendBeacon(req.url, req.body)) return Promise.resolve({ ok: true, status: 0, attempts: attempt + 1 })
      } catch {
        // Fall through to fetch.
      }
    }
    if (!env.fetch) return Promise.resolve({ ok: false, status: 0, attempts: attempt + 1, error: 'no fetch in this environment' })
    const init: RequestInit = {
      method,
      headers: req.headers,
      body: req.body,
      mode: req.mode,
      credentials: req.credentials,
      keepalive: size <= KEEPALIVE_MAX,
    }
    const retry = (error: string, status: number, retryAfter: string | null): Promise<Delivery> =>
      attempt + 1 >= MAX_ATTEMPTS
        ? Promise.resolve({ ok: false, status, attempts: attempt + 1, error })
        : new Promise((r) => env.clock.setTimeout(() => r(send(req, attempt + 1)), delay(attempt, retryAfter)))
    return call(env.fetch, req.url, init).then(
      (res) => {
        if (res.type == 'opaque') return { ok: true, status: 0, attempts: attempt + 1 }
        if (retryable(res.status)) return retry(`HTTP ${res.status}`, res.status, res.headers.get('Retry-After'))
        return { ok: res.ok, status: res.status, attempts: attempt + 1, error: res.ok ? undefined : `HTTP ${res.status}` }
      },
      (e) => retry(String((e as Error)?.message || e), 0, null),
    )
  }

  return {
    send: (req) => send(req),
    fetch(input, init) {
      if (!env.fetch) return Promise.reject(new TypeError('no fetch in this environment'))
      const body = init?.body
      const small = body == null || (typeof body == 'string' && body.length <= KEEPALIVE_MAX)
      return call(env.fetch, input, { keepalive: small, ...init })
    },
  }
}
