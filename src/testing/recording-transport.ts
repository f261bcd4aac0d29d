/** A transport that records what tools would send, instead of sending it. */
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
  // Header names are case-insensitive, and not every Headers implementation lower-cases them.
  const h = req.headers ?? {}
  const type = h[Object.keys(h).find((k) => k.toLowerCase() == 'content-type') ?? ''] ?? ''
  if (type.includes('urlencoded')) return Object.fromEntries(new URLSearchParams(req.body))
  try {
    return JSON.parse(req.body)
  } catch {
    return undefined
  }
}

/** The URL a fetch input names. */
function urlOf(input: RequestInfo | URL): string {
  if (typeof input == 'string') return input
  if (input instanceof URL) return input.href
  return input.url
}

/**
 * A body that is not a string (URLSearchParams, Blob, FormData…, or a Request's own), to read as
 * fetch would send it, with the content type it implies; `undefined` when there is none to read.
 */
function otherBody(body: BodyInit | null | undefined, request: Request | undefined): Response | Request | undefined {
  if (body != null) return typeof body == 'string' ? undefined : new Response(body)
  return request?.body ? request.clone() : undefined
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
      // A Request carries its own method, headers and body; init wins, as in fetch().
      const request = typeof input == 'object' && !(input instanceof URL) ? input : undefined
      const url = urlOf(input)
      const headers = init?.headers ?? request?.headers
      const b = init?.body
      const req: OutgoingRequest = {
        url,
        method: init?.method ?? request?.method,
        body: typeof b == 'string' ? b : undefined,
        headers: headers ? Object.fromEntries(new Headers(headers).entries()) : undefined,
      }
      const d = respond(req)
      record(req)
      const recorded = requests[requests.length - 1]
      // Any other body can only be read asynchronously: filled in before answering.
      const other = otherBody(b, request)
      const body = other ? other.text() : Promise.resolve(undefined)
      return body.then((text) => {
        if (text !== undefined) {
          const implied = other!.headers.get('content-type')
          const h = req.headers ?? {}
          const full = implied && !Object.keys(h).some((k) => k.toLowerCase() == 'content-type') ? { ...h, 'content-type': implied } : req.headers
          Object.assign(recorded, { body: text, headers: full }, { json: parse({ ...req, body: text, headers: full }) })
        }
        // Nothing could be sent: fetch rejects, as on a network error.
        if (!d.ok && !d.status) throw new TypeError(d.error || 'network error')
        return new Response(null, { status: d.status || 204 })
      })
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

