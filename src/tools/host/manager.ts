import type { Client, ClientEventType, Manager, MCEventListener } from '../../types/mc'
import type { Transport } from '../../transport/transport'
import type { TrustedPolicy } from '../../platform/trusted-types'

export interface ManagerState {
  _manager: Manager
  _listeners: Map<string, MCEventListener[]>
  _clientListeners: Map<ClientEventType, MCEventListener[]>
}

export interface ManagerDeps {
  _toolId: string
  _name: string
  _can: (permission: string) => boolean
  /** The tool's consent purpose, and the consent gate's check (`ConsentGate.check`): asked at each call. */
  _purpose: string | undefined
  _consent: (purpose?: string) => boolean | undefined
  _transport: Transport
  /** A debug note: `[#id, ...arguments]` (see debug/notes.ts). */
  _note: (message: unknown[]) => void
  /** The runtime's random source (fixed in tests), for ids tools create. */
  _random: () => number
  /**
   * The page's document, CSP nonce and (where the browser has them) Trusted Types policy, for tools
   * that insert markup (Custom HTML): `manager.ext.dom()`, see docs/writing-a-tool.md.
   */
  _dom: () => { document: Document; nonce: string | undefined; trustedTypes?: TrustedPolicy } | undefined
  /** Renders a widget client-side (`registerWidget`). */
  _widget: (callback: (context: { client: Client }) => Promise<string>) => void
}

/** The event each client belongs to (createClient sets it), so `ext.image(url, client)` is tagged like `client.fetch`. */
export const eventOf = new WeakMap<Client, string>()

/**
 * Calls behind a permission and the tool's consent: without the permission, or unless its purpose
 * is granted at the moment of the call, `undefined` and a debug note (fail soft, never a throw).
 * `request`: a request the transport sends, which it keeps while the purpose is undecided.
 */
export const gated =
  ({ _can: can, _note: note, _consent: consent, _purpose: purpose }: Pick<ManagerDeps, '_can' | '_note' | '_consent' | '_purpose'>) =>
  <A extends unknown[], R>(call: string, permission: string, fn: (...a: A) => R, request?: boolean) =>
  (...a: A): R | undefined => {
    const v = consent(purpose)
    if (!can(permission)) note(['#perm', call, permission])
    else if (v || (request && v == null)) return fn(...a)
    else note(['#denied', call, purpose, v])
  }

/** Server-only calls: the first four answer `undefined`, the others a promise of it. */
const SERVER_ONLY = ['route', 'proxy', 'serve', 'registerEmbed', 'get', 'set', 'useCache', 'invalidateCache']

/**
 * The Managed Components `Manager` for one tool. Server-only calls answer `undefined` (or a
 * promise of it) and are said in debug mode; nothing here throws into a tool.
 */
export function createManager(deps: ManagerDeps): ManagerState {
  const note = deps._note
  const gate = gated(deps)
  const listeners = new Map<string, MCEventListener[]>()
  const clientListeners = new Map<ClientEventType, MCEventListener[]>()
  const add =
    <K>(map: Map<K, MCEventListener[]>) =>
    (type: K, fn: MCEventListener) => {
      if (typeof fn != 'function') return false
      const list = map.get(type)
      if (list) list.push(fn)
      else map.set(type, [fn])
      return true
    }
  const manager: Record<string, unknown> = {
    name: deps._name,
    addEventListener: add(listeners),
    createEventListener: add(clientListeners),
    // Rendered in the browser: the HTML the callback resolves to is appended to <body> as inert markup.
    registerWidget: gate('manager.registerWidget', 'provide_widget', (cb: Parameters<ManagerDeps['_widget']>[0]) => {
      if (typeof cb != 'function') return false
      deps._widget(cb)
      return true
    }),
    fetch: gate('manager.fetch', 'server_network_requests', (input: RequestInfo | URL, init?: RequestInit) => deps._transport.fetch(input, init)),
    ext: {
      // An image is a request from the browser like client.fetch: same permission (used by the Custom Image tool); `client` tags it with its event.
      image: gate('manager.ext.image', 'client_network_requests', (url: string, client?: Client) => {
        deps._transport.send({ url, kind: 'image', toolId: deps._toolId, eventId: client && eventOf.get(client) })
        return true
      }),
      random: deps._random,
      // Inserting markup runs arbitrary code: the same permission as client.execute.
      dom: gate('manager.ext.dom', 'execute_unsafe_scripts', deps._dom),
    },
  }
  SERVER_ONLY.forEach((call, i) => {
    manager[call] = () => {
      note(['#server', call])
      return i > 3 ? Promise.resolve() : undefined
    }
  })
  return { _manager: manager as unknown as Manager, _listeners: listeners, _clientListeners: clientListeners }
}
