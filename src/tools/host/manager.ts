import type { Client, ClientEventType, Manager, MCEventListener } from '../../types/mc'
import type { Transport } from '../../transport/transport'

export interface ManagerState {
  manager: Manager
  listeners: Map<string, MCEventListener[]>
  clientListeners: Map<ClientEventType, MCEventListener[]>
}

export interface ManagerDeps {
  name: string
  can: (permission: string) => boolean
  transport: Transport
  note: (message: string) => void
  /** Sends an image request (the `ext.image` extension, used by the Custom Image tool); `client` tags it with its event. */
  image: (url: string, client?: Client) => boolean
  /** The runtime's random source (fixed in tests), for ids tools create. */
  random: () => number
  /** The page's document and CSP nonce, for tools that insert markup (Custom HTML). */
  dom: () => { document: Document; nonce: string | undefined } | undefined
  /** Renders a widget client-side (`registerWidget`). */
  widget: (callback: (context: { client: Client }) => Promise<string>) => boolean
}

/**
 * The Managed Components `Manager` for one tool. Server-only calls answer `undefined` (or a
 * promise of it) and are said in debug mode; nothing here throws into a tool.
 */
export function createManager(deps: ManagerDeps): ManagerState {
  const listeners = new Map<string, MCEventListener[]>()
  const clientListeners = new Map<ClientEventType, MCEventListener[]>()
  const add = <K>(map: Map<K, MCEventListener[]>, type: K, fn: MCEventListener) => {
    if (typeof fn != 'function') return false
    const list = map.get(type)
    if (list) list.push(fn)
    else map.set(type, [fn])
    return true
  }
  const serverOnly = (call: string) => {
    deps.note(`manager.${call} is server-only and does nothing in the browser`)
    return undefined
  }
  const manager: Manager = {
    name: deps.name,
    addEventListener: (type, fn) => add(listeners, type, fn),
    createEventListener: (type, fn) => add(clientListeners, type, fn),
    get: () => Promise.resolve(serverOnly('get')),
    set: () => Promise.resolve(serverOnly('set') as unknown as boolean),
    route: () => serverOnly('route'),
    proxy: () => serverOnly('proxy'),
    serve: () => serverOnly('serve'),
    useCache: () => Promise.resolve(serverOnly('useCache')),
    invalidateCache: () => Promise.resolve(serverOnly('invalidateCache')),
    registerEmbed: () => serverOnly('registerEmbed'),
    // Rendered in the browser: the HTML the callback resolves to is appended to <body> as inert markup.
    registerWidget(callback) {
      if (!deps.can('provide_widget')) {
        deps.note('manager.registerWidget needs the "provide_widget" permission; ignored')
        return undefined
      }
      return typeof callback == 'function' ? deps.widget(callback) : false
    },
    fetch(input, init) {
      if (!deps.can('server_network_requests')) {
        deps.note('manager.fetch needs the "server_network_requests" permission; ignored')
        return undefined
      }
      return deps.transport.fetch(input, init)
    },
    ext: {
      // An image is a request from the browser like client.fetch: same permission.
      image(url: string, client?: Client) {
        if (!deps.can('client_network_requests')) {
          deps.note('manager.ext.image needs the "client_network_requests" permission; ignored')
          return undefined
        }
        return deps.image(url, client)
      },
      random: deps.random,
      // Inserting markup runs arbitrary code: the same permission as client.execute.
      dom() {
        if (!deps.can('execute_unsafe_scripts')) {
          deps.note('manager.ext.dom needs the "execute_unsafe_scripts" permission; ignored')
          return undefined
        }
        return deps.dom()
      },
    },
  }
  return { manager, listeners, clientListeners }
}
