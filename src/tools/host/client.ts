import type { Client, ClientEventType, ClientSetOptions } from '../../types/mc'
import type { DeviceInfo } from '../../context/system'
import type { Transport } from '../../transport/transport'
import type { ClientKV } from './client-kv'
import { trusted } from '../../platform/trusted-types'
import { eventOf, gated } from './manager'

/** What the browser knows about the visitor for one event, privacy settings already applied. */
export interface ClientFacts {
  eventId: string
  time: number
  url: URL
  title: string
  referer: string
  device: DeviceInfo
}

export interface ClientDeps {
  _toolId: string
  _can: (permission: string) => boolean
  /** The tool's consent purpose and the gate's check (see `gated`). */
  _purpose: string | undefined
  _consent: (purpose?: string) => boolean | undefined
  _transport: Transport
  _kv: ClientKV
  _document: Document | undefined
  _nonce: string | undefined
  /** A query parameter that carries the event id on `client.fetch` requests (see docs/delivery.md). */
  _idParam?: string
  /** A fail-soft refusal or a server-only call, said in debug mode. */
  _note: (message: unknown[]) => void
  _attach: (event: ClientEventType) => void
  _detach: (event: ClientEventType) => void
}

const KV = 'access_client_kv'

/**
 * The Managed Components `Client` for one tool and one event (`deps`: the tool's, shared by its
 * clients and its manager); `onReturn` receives its `client.return` values.
 */
export function createClient(facts: ClientFacts, deps: ClientDeps, onReturn: (value: unknown) => void = () => undefined): Client {
  const toolId = deps._toolId
  const kv = deps._kv
  const gate = gated(deps)
  const doc = deps._document
  const { device } = facts
  const client: Client = {
    // (Named one by one: with a spread here, dispatch to 20 tools took 2.5-4x as long in Node.)
    userAgent: device.userAgent,
    language: device.language,
    timezoneOffset: device.timezoneOffset,
    screenWidth: device.screenWidth,
    screenHeight: device.screenHeight,
    viewportWidth: device.viewportWidth,
    viewportHeight: device.viewportHeight,
    emitter: 'browser',
    referer: facts.referer,
    ip: '',
    title: facts.title,
    timestamp: facts.time,
    url: new URL(facts.url.href),

    fetch: gate('client.fetch', 'client_network_requests', (resource: string, init: RequestInit = {}) => {
      const h = new Headers(init.headers)
      const { body } = init
      const form = body instanceof URLSearchParams
      // The body travels as a string: keep the content type fetch would have given a form.
      if (form && !h.has('content-type')) h.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
      deps._transport.send({
        url: String(resource),
        method: init.method,
        headers: init.headers || form ? Object.fromEntries(h) : undefined,
        body: body == null ? undefined : String(body),
        mode: init.mode,
        credentials: init.credentials,
        eventId: facts.eventId,
        toolId,
        purpose: deps._purpose,
        idParam: deps._idParam,
      })
      return true
    }, true),
    execute: gate('client.execute', 'execute_unsafe_scripts', (code: string) => {
      if (!doc) return
      // A script element carrying the page's nonce: no eval, allowed by a nonce-based CSP.
      const s = doc.createElement('script')
      if (deps._nonce) s.nonce = deps._nonce
      // Each call in a block of its own: top-level `const`, `let` and `class` of two calls never
      // collide, while `var` and function declarations still reach the page as in a plain script.
      // (A document without a window, `null`, gets plain strings, as `undefined` does.)
      s.textContent = trusted(doc.defaultView as Window).createScript(`{\n${code}\n}`)
      ;(doc.head || doc.documentElement).appendChild(s).remove()
      return true
    }),
    return: onReturn,
    set: gate('client.set', KV, (key: string, value?: string | null, opts?: ClientSetOptions) => kv.set(toolId, key, value, opts)),
    get: gate('client.get', KV, (key: string, tool?: string) =>
      tool && tool != toolId
        ? gate(`client.get(key, "${tool}")`, 'access_extended_client_kv', () => kv.get(tool, key))()
        : kv.get(toolId, key),
    ),
    attachEvent: deps._attach,
    detachEvent: deps._detach,
  }
  eventOf.set(client, facts.eventId)
  return client
}
