import type { Client, ManagedComponent, MCEvent, MCEventListener } from '../../types/mc'
import type { PrivacySettings, Tool } from '../../config/model'
import type { Decision } from '../../router/router'
import type { TrackedEvent } from '../../types/event'
import type { ChunkLoader, Env } from '../../platform/env'
import type { Transport } from '../../transport/transport'
import type { ClientKV } from './client-kv'
import { createClientEventsProxy } from './client-events-proxy'
import { createClient, type ClientDeps, type ClientFacts } from './client'
import { createManager, type ManagerDeps, type ManagerState } from './manager'
import { cloneJson } from '../../lib/object'
import { MAX_HELD_PER_LOADING_TOOL } from '../../lib/limits'
import { warn, why } from '../../lib/warn'
import { policyFor, trusted } from '../../platform/trusted-types'

/** What a built-in tool module exports (and what its script-tag chunk hands over). */
export interface ToolModule {
  default: ManagedComponent
  /** The permissions it needs when its config entry lists none. */
  permissions?: string[]
  /**
   * True when Zaraz's tool of the same name sends these requests from Cloudflare's servers: a
   * Zaraz export then lists `server_network_requests` for it, which covers them here.
   */
  sentFromServer?: boolean
}

/** One listener call to make: the router's dispatch plus the facts of its event. */
export interface ToolDelivery {
  tool: Tool
  type: string
  name: string
  payload: Record<string, unknown>
  facts: ClientFacts
  /** Its line in the debug record, when debugging (a stage that holds it amends it). */
  decision?: Decision
}

/** Permissions of a registered component whose config entry lists none: the harmless ones. */
const DEFAULT_PERMISSIONS = ['access_client_kv', 'client_network_requests', 'server_network_requests']

export interface HostOptions {
  env: Env
  transport: Transport
  /** The tools' key-value store (`client.get` / `client.set`). */
  clientKV: ClientKV
  nonce: string | undefined
  /** Built-in components, loaded on first use. */
  builtIns: Record<string, () => Promise<ToolModule>>
  /** Loads the `client-events` chunk the first time a tool attaches a page event or renders a widget (none: only `historyChange` works, no widget renders). */
  load?: ChunkLoader
  /** How long track() waits for one tool before resolving without it. */
  timeoutMs: number
  /**
   * Gives the page a turn (the runtime's start-up `yield`, script-tag build only): a built-in's
   * file is evaluated in a task of its own, and the tool starts and gets its held events in the next.
   */
  yield?: () => Promise<void>
  /**
   * Debug notes: `#id` and its arguments, one a line (their words: `describeNote` in
   * debug/notes.ts); `eventId` when the note is about one event's delivery.
   */
  note: (tool: string, message: string, eventId?: string) => void
  /** Applied to the page facts of client events, as the pipeline applies them to events. */
  privacy?: PrivacySettings
  /**
   * The consent gate's check (`ConsentGate.check`), asked with a tool's purpose at the moment of
   * each call it makes (see `gated`), each client event and each widget it renders.
   */
  consent: (purpose?: string) => boolean | undefined
  /**
   * Takes a delivery held while its tool's component loaded, when released: the runtime passes it
   * through the consent gate again (consent may have changed meanwhile), which hands it back to `deliver`.
   */
  pass: (d: ToolDelivery) => unknown
}

export interface ToolHost {
  /** `sentFromServer`: a built-in's (see ToolModule). */
  register(name: string, component: ManagedComponent, permissions?: string[], sentFromServer?: boolean): void
  /** Resolves to the tool's `client.return` value (or `undefined`) once it handled the event, failed, or timed out. */
  deliver(d: ToolDelivery): Promise<unknown>
  /**
   * Starts loading the built-in components the config names, so the first pageview does not
   * wait on the network. Nothing else: each tool's component starts at its first event.
   */
  prepare(tools: Tool[]): void
  /**
   * A `Pageview` is about to be routed. Every one after the page's first is an SPA navigation:
   * tools attached to `historyChange` get it, with the new URL and title.
   */
  pageview(event: TrackedEvent): void
}

/** States of a tool's component: waiting for it to load, starting (running its function), ready, or failed. */
export type State = 'waiting' | 'starting' | 'ready' | 'failed'

/** Ready or failed: events are no longer held for it. */
const started = (state: State) => state == 'ready' || state == 'failed'

export interface Instance {
  tool: Tool
  _state: State
  /** Its manager, once its component starts. */
  _managerState?: ManagerState
  /** What its manager and its clients use; set when its component starts (clients exist only after that). */
  _deps?: ClientDeps & ManagerDeps
  _held: Array<() => void>
  _created?: boolean
}

const settle = (p: unknown): Promise<unknown> => Promise.resolve(p).then(undefined, () => undefined)

/**
 * Hosts the tools as Managed Components: resolves each tool's component, runs it once with its
 * manager (at the tool's first event), holds events until it is ready, and calls its listeners
 * with a private copy of each payload. A tool that throws, rejects or hangs affects neither the
 * page nor another tool. Creating the host reads no storage, no cookie and no layout.
 */
export function createHost(o: HostOptions): ToolHost {
  const { env, transport, builtIns } = o
  const { clock } = env
  const w = env.window
  const doc = env.document
  const storage = env.localStorage
  const components = new Map<string, [ManagedComponent, string[] | undefined, boolean | undefined]>()
  const instances = new Map<string, Instance>()
  const loading = new Set<string>()
  /** The facts of the latest event (the page a widget renders on, and client events before a pageview). */
  let lastFacts: ClientFacts | undefined
  /** The latest pageview (the page client events happen on; the chunk builds its facts). */
  let lastPageview: TrackedEvent | undefined
  // Every pageview but the page's first is an SPA navigation (`historyChange`); so is a first one for another URL.
  let pageviews = 0
  const startHref = doc?.location?.href

  /** A debug note: `[#id, ...arguments]`. */
  const note = (inst: Instance, m: unknown[], eventId?: string) => o.note(inst.tool.id, m.join('\n'), eventId)


  /** A client for `inst` on the page `facts` describe; `onReturn` receives `client.return` values. */
  const clientFor = (inst: Instance, facts: ClientFacts, onReturn?: (v: unknown) => void): Client => createClient(facts, inst._deps!, onReturn)

  /** Calls `fn` for a tool, isolated: a throw or a rejection is said in debug mode, never passed on (a throw answers `undefined`). */
  const guard = (inst: Instance, what: string, fn: () => unknown, eventId?: string): Promise<unknown> | undefined => {
    try {
      return settle(fn())
    } catch (e) {
      note(inst, ['#threw', what, why(e)], eventId)
    }
  }

  // Client events: the `client-events` chunk does them (see client-events-proxy.ts).
  const clientEvents = createClientEventsProxy(
    w,
    o.load,
    () => clock.now(),
    (early) => ({
      _window: w!,
      clock,
      _storage: storage,
      early,
      privacy: o.privacy,
      page: () => lastPageview,
      facts: () => lastFacts,
      tools: instances,
      client: clientFor,
      guard,
      _trustedTypes: trusted,
    }),
    o.note,
  )

  /** `p`, or `undefined` once the tool timeout passed. */
  const timeout = <T>(p: Promise<T>): Promise<T | undefined> =>
    new Promise((resolve) => {
      // (Clock timers call their function with no argument: `undefined`.)
      const h = clock.setTimeout(resolve as () => void, o.timeoutMs)
      p.then((v) => {
        clock.clearTimeout(h)
        resolve(v)
      })
    })

  /** Runs what was held for `inst`, in order (it is ready or failed now). */
  const release = (inst: Instance, state: 'ready' | 'failed') => {
    inst._state = state
    for (const run of inst._held.splice(0)) run()
  }

  const start = (inst: Instance) => {
    const entry = components.get(inst.tool.component)
    if (!entry || inst._state != 'waiting') return
    inst._state = 'starting'
    const { tool } = inst
    const id = tool.id
    const permissions = new Set(tool.permissions || entry[1] || DEFAULT_PERMISSIONS)
    // A built-in sends from the browser what Zaraz's tool of its name sends from the server (docs/writing-a-tool.md).
    if (entry[2] && permissions.has('server_network_requests')) permissions.add('client_network_requests')
    /** The network permissions already said missing on the console. */
    const refused = new Set<unknown>()
    const deps: ClientDeps & ManagerDeps = {
      _toolId: id,
      _name: tool.component,
      _can: (p: string) => permissions.has(p),
      _purpose: tool.purpose,
      _consent: o.consent,
      _transport: transport,
      _kv: o.clientKV,
      _document: doc,
      _nonce: o.nonce,
      // The HTTP Request tool's requests carry the event id, so a collector can recognise a retry.
      _idParam: tool.component == 'http-request' ? 'tagrelay_id' : undefined,
      _note: (m: unknown[]) => {
        // Without a network permission the tool goes silent: said once on the console, debug mode or not.
        if (m[0] == '#perm' && /network/.test(m[2] as string) && !refused.has(m[2])) {
          refused.add(m[2])
          warn(env.console, `tool "${id}": ${m[1]} needs the "${m[2]}" permission: not sent`)
        }
        note(inst, m)
      },
      _attach: (t: string) => clientEvents.call('attach', id, t, true),
      _detach: (t: string) => clientEvents.call('attach', id, t, false),
      _random: env.random,
      _dom: () => doc && { document: doc, nonce: o.nonce, trustedTypes: policyFor(w) },
      // Rendered by the client-events chunk (widgets are rare): after its fetch.
      _widget: (cb: Parameters<ManagerDeps['_widget']>[0]) => clientEvents.call('widget', id, cb),
    }
    inst._deps = deps
    const mc = createManager(deps)
    inst._managerState = mc
    let init: unknown
    try {
      init = entry[0](mc._manager, cloneJson(tool.settings))
    } catch (e) {
      note(inst, ['#start', why(e)])
      return release(inst, 'failed')
    }
    timeout(settle(init).then(() => 1)).then((done) => {
      if (!done) note(inst, ['#slow', o.timeoutMs])
      // Client events it attached on an earlier page view (only a tool with client-event listeners can get them).
      if (mc._clientListeners.size) clientEvents.call('restore', id)
      release(inst, 'ready')
    })
  }

  const register = (name: string, component: ManagedComponent, permissions?: string[], sentFromServer?: boolean) => {
    if (components.has(name)) return
    components.set(name, [component, permissions, sentFromServer])
    for (const inst of instances.values()) if (inst.tool.component == name) start(inst)
  }

  /** Starts loading the built-in `name` (once); one that fails to load becomes a component that fails to start. */
  const load = (name: string) => {
    const builtIn = builtIns[name]
    if (!builtIn || components.has(name) || loading.has(name)) return
    loading.add(name)
    const turn = o.yield
    builtIn().then(
      (m) => {
        if (turn) turn().then(() => register(name, m.default, m.permissions, m.sentFromServer))
        else register(name, m.default, m.permissions, m.sentFromServer)
      },
      (e) =>
        register(name, () => {
          throw new Error(`could not load ${name}: ${why(e)}`)
        }),
    )
  }

  const call = (inst: Instance, d: ToolDelivery): Promise<unknown> => {
    if (inst._state != 'ready') return Promise.resolve()
    const listeners = inst._managerState!._listeners
    const eventId = d.facts.eventId
    let returned: unknown
    const client = clientFor(inst, d.facts, (v) => {
      returned = v
    })
    lastFacts = d.facts
    const run = (type: string, name: string | undefined, payload: unknown): unknown[] =>
      (listeners.get(type) || []).map((fn: MCEventListener) => guard(inst, type, () => fn({ type, name, payload, client } as MCEvent), eventId))
    let pending: unknown[] = []
    // `clientcreated`: once per visitor and tool, before its first event (storage is read only for a tool that listens to it).
    if (!inst._created && listeners.has('clientcreated')) {
      inst._created = true
      const key = 'tagrelay_cc_' + inst.tool.id
      let first = true
      try {
        first = !storage!.getItem(key)
        storage!.setItem(key, '1')
      } catch {
        // No storage: every page view is a first visit.
      }
      if (first) pending = run('clientcreated', undefined, {})
    }
    // Each tool gets its own copy: tools mutate payloads.
    pending.push(...run(d.type, d.name, cloneJson(d.payload)))
    if (!listeners.has(d.type)) note(inst, ['#none', d.type], eventId)
    return Promise.all(pending).then(() => returned)
  }

  return {
    register,
    prepare(tools) {
      for (const t of tools) load(t.component)
    },
    pageview(e) {
      lastPageview = e
      const navigation = pageviews > 0 || e.page.href != startHref
      pageviews++
      // Only when a tool has client-event listeners (the chunk is loading or here).
      if (navigation && clientEvents.asked()) clientEvents.call('history', e)
    },
    deliver(d) {
      const { tool } = d
      let i = instances.get(tool.id)!
      if (!i) {
        // The page a widget renders on, when the component starts now.
        lastFacts ||= d.facts
        i = { tool, _state: 'waiting', _held: [] }
        instances.set(tool.id, i)
        load(tool.component)
        start(i)
      }
      if (started(i._state)) return timeout(call(i, d))
      if (i._held.length >= MAX_HELD_PER_LOADING_TOOL) {
        i._held.shift()!()
        note(i, ['#held', MAX_HELD_PER_LOADING_TOOL])
      }
      // Run when released (ready or failed: passed again), or when dropped (still waiting: no value).
      const held = new Promise<unknown>((resolve) => {
        i._held.push(() => resolve(started(i._state) ? o.pass(d) : undefined))
      })
      if (i._state == 'waiting') note(i, ['#hold', tool.component, builtIns[tool.component] && 1], d.facts.eventId)
      return timeout(held)
    },
  }
}
