import type { Client, ClientEventType, ManagedComponent, MCEvent, MCEventListener } from '../../types/mc'
import type { Tool } from '../../config/model'
import type { Env } from '../../platform/env'
import type { Transport } from '../../transport/transport'
import type { ClientKV } from './client-kv'
import { createClient, type ClientFacts } from './client'
import { createManager, type ManagerState } from './manager'
import { cloneJson } from '../../lib/object'

/** What a built-in tool module exports (and what its script-tag chunk hands over). */
export interface ToolModule {
  default: ManagedComponent
  /** The permissions it needs when its config entry lists none. */
  permissions?: string[]
}

/** One listener call to make: the router's dispatch plus the facts of its event. */
export interface ToolDelivery {
  tool: Tool
  type: string
  name: string
  payload: Record<string, unknown>
  facts: ClientFacts
}

/** Permissions of a registered component whose config entry lists none: the harmless ones. */
const DEFAULT_PERMISSIONS = ['access_client_kv', 'client_network_requests', 'server_network_requests']

/** Events held per tool while its component loads; the oldest are dropped past this. */
const MAX_HELD = 200

export interface HostOptions {
  env: Env
  transport: Transport
  kv: ClientKV
  nonce: string | undefined
  /** Built-in components, loaded on first use. */
  builtIns: Record<string, () => Promise<ToolModule>>
  /** How long track() waits for one tool before resolving without it. */
  timeoutMs: number
  note: (tool: string, message: string) => void
}

export interface ToolHost {
  register(name: string, component: ManagedComponent, permissions?: string[]): void
  /** Resolves to the tool's `client.return` value (or `undefined`) once it handled the event, failed, or timed out. */
  deliver(d: ToolDelivery): Promise<unknown>
  /** Starts loading every component the config names, so the first pageview does not wait on the network. */
  prepare(tools: Tool[]): void
}

interface Instance {
  tool: Tool
  state: 'waiting' | 'starting' | 'ready' | 'failed'
  mc?: ManagerState
  permissions: Set<string>
  held: Array<() => void>
  clientCreated: boolean
}

const settle = (p: unknown): Promise<unknown> =>
  p && typeof (p as Promise<unknown>).then == 'function' ? (p as Promise<unknown>).then(undefined, () => undefined) : Promise.resolve()

/**
 * Hosts the tools as Managed Components: resolves each tool's component, runs it once with its
 * manager, holds events until it is ready, and calls its listeners with a private copy of each
 * payload. A tool that throws, rejects or hangs affects neither the page nor another tool.
 */
export function createHost(o: HostOptions): ToolHost {
  const components = new Map<string, { component: ManagedComponent; permissions?: string[] }>()
  const instances = new Map<string, Instance>()
  const loading = new Set<string>()
  /** The event each client belongs to, so `ext.image(url, client)` is tagged like `client.fetch`. */
  const eventOf = new WeakMap<Client, string>()

  const timeout = <T>(p: Promise<T>, fallback: T): Promise<T> =>
    new Promise((resolve) => {
      const h = o.env.clock.setTimeout(() => resolve(fallback), o.timeoutMs)
      p.then((v) => {
        o.env.clock.clearTimeout(h)
        resolve(v)
      })
    })

  const start = (inst: Instance) => {
    const entry = components.get(inst.tool.component)
    if (!entry || inst.state != 'waiting') return
    inst.state = 'starting'
    const id = inst.tool.id
    inst.permissions = new Set(inst.tool.permissions ?? entry.permissions ?? DEFAULT_PERMISSIONS)
    const can = (p: string) => inst.permissions.has(p)
    inst.mc = createManager({
      name: inst.tool.component,
      can,
      transport: o.transport,
      note: (m) => o.note(id, m),
      image: (url, client) => {
        o.transport.send({ url, kind: 'image', toolId: id, eventId: client && eventOf.get(client) })
        return true
      },
    })
    let init: unknown
    try {
      init = entry.component(inst.mc.manager, cloneJson(inst.tool.settings))
    } catch (e) {
      fail(inst, e)
      return
    }
    timeout(
      settle(init).then(() => true),
      false,
    ).then((done) => {
      if (!done) o.note(id, `the component did not finish starting within ${o.timeoutMs} ms; sending it events anyway`)
      inst.state = 'ready'
      const held = inst.held
      inst.held = []
      for (const run of held) run()
    })
  }

  const fail = (inst: Instance, e: unknown) => {
    inst.state = 'failed'
    o.note(inst.tool.id, `the component threw while starting: ${String((e as Error)?.message ?? e)}`)
    const held = inst.held
    inst.held = []
    for (const run of held) run()
  }

  const load = (name: string) => {
    const builtIn = o.builtIns[name]
    if (components.has(name) || !builtIn || loading.has(name)) return
    loading.add(name)
    builtIn().then(
      (m) => register(m.default, name, m.permissions),
      (e) => {
        for (const inst of instances.values())
          if (inst.tool.component == name) fail(inst, new Error(`could not load the built-in tool "${name}": ${(e as Error)?.message ?? e}`))
      },
    )
  }

  const register = (component: ManagedComponent, name: string, permissions?: string[]) => {
    if (components.has(name)) return
    components.set(name, { component, permissions })
    for (const inst of instances.values()) if (inst.tool.component == name) start(inst)
  }

  const instance = (tool: Tool): Instance => {
    let inst = instances.get(tool.id)
    if (!inst) {
      inst = { tool, state: 'waiting', permissions: new Set(), held: [], clientCreated: false }
      instances.set(tool.id, inst)
      load(tool.component)
      start(inst)
    }
    return inst
  }

  const call = (inst: Instance, d: ToolDelivery): Promise<unknown> => {
    if (inst.state != 'ready') return Promise.resolve(undefined)
    const { listeners } = inst.mc!
    let returned: unknown
    const client = createClient(d.facts, {
      toolId: inst.tool.id,
      can: (p) => inst.permissions.has(p),
      transport: o.transport,
      kv: o.kv,
      document: o.env.document,
      nonce: o.nonce,
      note: (m) => o.note(inst.tool.id, m),
      onReturn: (v) => (returned = v),
      attach: (e: ClientEventType) => o.note(inst.tool.id, `client event "${e}" is not delivered by this version`),
      detach: () => undefined,
    })
    eventOf.set(client, d.facts.eventId)
    const run = (type: string, name: string | undefined, payload: unknown): Promise<unknown>[] =>
      (listeners.get(type) || []).map((fn: MCEventListener) => {
        const event: MCEvent = { type, name, payload, client }
        try {
          return settle(fn(event))
        } catch (e) {
          o.note(inst.tool.id, `its "${type}" listener threw: ${String((e as Error)?.message ?? e)}`)
          return Promise.resolve()
        }
      })
    const pending: Promise<unknown>[] = []
    if (!inst.clientCreated) {
      inst.clientCreated = true
      if (firstVisit(inst.tool.id)) pending.push(...run('clientcreated', undefined, {}))
    }
    // Each tool gets its own copy: tools mutate payloads.
    pending.push(...run(d.type, d.name, cloneJson(d.payload)))
    if (!listeners.has(d.type)) o.note(inst.tool.id, `it has no "${d.type}" listener`)
    return Promise.all(pending).then(() => returned)
  }

  const CREATED = 'tagrelay_cc_'
  const firstVisit = (toolId: string) => {
    try {
      const s = o.env.localStorage
      if (!s) return true
      if (s.getItem(CREATED + toolId)) return false
      s.setItem(CREATED + toolId, '1')
    } catch {
      // Storage blocked: every page view is a first visit.
    }
    return true
  }

  return {
    register: (name, component, permissions) => register(component, name, permissions),
    prepare(tools) {
      for (const t of tools) instance(t)
    },
    deliver(d) {
      const inst = instance(d.tool)
      if (inst.state == 'ready' || inst.state == 'failed') return timeout(call(inst, d), undefined)
      const held = new Promise<unknown>((resolve) => {
        if (inst.held.length >= MAX_HELD) {
          inst.held.shift()!()
          o.note(inst.tool.id, `more than ${MAX_HELD} events held while its component loads; dropped the oldest`)
        }
        inst.held.push(() => resolve(call(inst, d)))
      })
      if (!components.has(d.tool.component) && !o.builtIns[d.tool.component])
        o.note(inst.tool.id, `component "${d.tool.component}" is not registered yet; holding the event`)
      return timeout(held, undefined)
    },
  }
}
