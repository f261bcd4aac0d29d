import type { Client, ClientEventType, ClientSetOptions } from '../../types/mc'
import type { DeviceInfo } from '../../context/system'
import type { Transport } from '../../transport/transport'
import type { ClientKV } from './client-kv'
import { trusted } from '../../platform/trusted-types'

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
  toolId: string
  can: (permission: string) => boolean
  transport: Transport
  kv: ClientKV
  document: Document | undefined
  nonce: string | undefined
  /** A query parameter that carries the event id on `client.fetch` requests (see docs/delivery.md). */
  idParam?: string
  /** A fail-soft refusal or a server-only call, said in debug mode. */
  note: (message: string) => void
  onReturn: (value: unknown) => void
  attach: (event: ClientEventType) => void
  detach: (event: ClientEventType) => void
}

const FORM = 'application/x-www-form-urlencoded;charset=UTF-8'

/** The Managed Components `Client` for one tool and one event. */
export function createClient(facts: ClientFacts, deps: ClientDeps): Client {
  const { device } = facts
  const refuse = (call: string, permission: string) => {
    deps.note(`${call} needs the "${permission}" permission; ignored`)
    return undefined
  }
  return {
    emitter: 'browser',
    userAgent: device.userAgent,
    language: device.language,
    referer: facts.referer,
    ip: '',
    title: facts.title,
    timestamp: facts.time,
    url: new URL(facts.url.href),
    timezoneOffset: device.timezoneOffset,
    screenWidth: device.screenWidth,
    screenHeight: device.screenHeight,
    viewportWidth: device.viewportWidth,
    viewportHeight: device.viewportHeight,

    fetch(resource, init = {}) {
      if (!deps.can('client_network_requests')) return refuse('client.fetch', 'client_network_requests')
      const headers = init.headers ? Object.fromEntries(new Headers(init.headers).entries()) : undefined
      const form = typeof URLSearchParams != 'undefined' && init.body instanceof URLSearchParams
      deps.transport.send({
        url: String(resource),
        method: init.method,
        // The body travels as a string: keep the content type fetch would have given a form.
        headers: form && !new Headers(init.headers).has('content-type') ? { ...headers, 'content-type': FORM } : headers,
        body: typeof init.body == 'string' ? init.body : init.body == null ? undefined : String(init.body),
        mode: init.mode,
        credentials: init.credentials,
        eventId: facts.eventId,
        toolId: deps.toolId,
        idParam: deps.idParam,
      })
      return true
    },
    execute(code) {
      if (!deps.can('execute_unsafe_scripts')) return refuse('client.execute', 'execute_unsafe_scripts')
      const doc = deps.document
      if (!doc) return undefined
      // A script element carrying the page's nonce: no eval, allowed by a nonce-based CSP.
      const s = doc.createElement('script')
      if (deps.nonce) s.nonce = deps.nonce
      s.textContent = trusted(doc.defaultView ?? undefined).createScript(code)
      ;(doc.head || doc.documentElement).appendChild(s).remove()
      return true
    },
    return(value) {
      deps.onReturn(value)
    },
    set(key: string, value?: string | null, opts?: ClientSetOptions) {
      if (!deps.can('access_client_kv')) return refuse('client.set', 'access_client_kv')
      return deps.kv.set(deps.toolId, key, value, opts)
    },
    get(key: string, tool?: string) {
      if (!deps.can('access_client_kv')) return refuse('client.get', 'access_client_kv')
      if (tool && tool != deps.toolId && !deps.can('access_extended_client_kv'))
        return refuse(`client.get(key, "${tool}")`, 'access_extended_client_kv')
      return deps.kv.get(tool || deps.toolId, key)
    },
    attachEvent: deps.attach,
    detachEvent: deps.detach,
  }
}
