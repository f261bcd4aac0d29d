import type { Client, ClientEventType, Manager, MCEventListener } from '../../types/mc'
import type { Transport } from '../../transport/transport'
import type { TrustedPolicy } from '../../platform/trusted-types'

export interface ManagerState {
  manager: Manager
  listeners: Map<string, MCEventListener[]>
  clientListeners: Map<ClientEventType, MCEventListener[]>
}

export interface ManagerDeps {
  toolId: string
  name: string
  can: (permission: string) => boolean
  /** The tool's consent purpose, and the consent gate's check (`ConsentGate.check`): asked at each call. */
  purpose: string | undefined
  consent: (purpose?: string) => boolean | undefined
  transport: Transport
  /** A debug note: `[#id, ...arguments]` (see debug/notes.ts). */
  note: (message: unknown[]) => void
  /** The runtime's random source (fixed in tests), for ids tools create. */
  random: () => number
  /** The page's document and CSP nonce, for tools that insert markup (Custom HTML). */
  dom: () => { document: Document; nonce: string | undefined; tt?: TrustedPolicy } | undefined
  /** Renders a widget client-side (`registerWidget`). */
  widget: (callback: (context: { client: Client }) => Promise<string>) => void
}

/** The event each client belongs to (createClient sets it), so `ext.image(url, client)` is tagged like `client.fetch`. */
export const eventOf = new WeakMap<Client, string>()

/**
 * Calls behind a permission and the tool's consent: without the permission, or unless its purpose
 * is granted at the moment of the call, `undefined` and a debug note (fail soft, never a throw).
 * `request`: a request the transport sends, which it keeps while the purpose is undecided.
 */
export const gated =
  ({ can, note, consent, purpose }: Pick<ManagerDeps, 'can' | 'note' | 'consent' | 'purpose'>) =>
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
  const { note } = deps
  const gate = gated(deps)
  const listeners = new Map<string, MCEventListener[]>()
  const clientListeners = new Map<ClientEventType, MCEventListener[]>()
  const add =
    <K>(map: Map<K, MCEventListener[]>) =>
    (type: K, fn: MCEventListener) => {
      if (typeof fn != 'function') return false
      const list = map.get(type)
      list ? list.push(fn) : map.set(type, [fn])
      return true
    }
  const manager: Record<string, unknown> = {
    name: deps.name,
    addEventListener: add(listeners),
    createEventListener: add(clientListeners),
    // Rendered in the browser: the HTML the callback resolves to is appended to <body> as inert markup.
    registerWidget: gate('manager.registerWidget', 'provide_widget', (cb: Parameters<ManagerDeps['widget']>[0]) => {
      if (typeof cb != 'function') return false
      deps.widget(cb)
      return true
    }),
    fetch: gate('manager.fetch', 'server_network_requests', (input: RequestInfo | URL, init?: RequestInit) => deps.transport.fetch(input, init)),
    ext: {
      // An image is a request from the browser like client.fetch: same permission (used by the Custom Image tool); `client` tags it with its event.
      image: gate('manager.ext.image', 'client_network_requests', (url: string, client?: Client) => {
        deps.transport.send({ url, kind: 'image', toolId: deps.toolId, eventId: client && eventOf.get(client) })
        return true
      }),
      random: deps.random,
      // Inserting markup runs arbitrary code: the same permission as client.execute.
      dom: gate('manager.ext.dom', 'execute_unsafe_scripts', deps.dom),
    },
  }
  SERVER_ONLY.forEach((call, i) => {
    manager[call] = () => {
      note(['#server', call])
      return i > 3 ? Promise.resolve() : undefined
    }
  })
  return { manager: manager as unknown as Manager, listeners, clientListeners }
}
