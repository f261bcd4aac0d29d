import type { Client, ManagedComponent, MCEvent, MCEventListener } from '../../types/mc'
import type { PrivacySettings, Tool } from '../../config/model'
import type { Decision } from '../../router/router'
import type { TrackedEvent } from '../../types/event'
import type { ChunkLoader, Env } from '../../platform/env'
import type { Transport } from '../../transport/transport'
import type { ClientKV } from './client-kv'
import type { ClientEvents, createClientEvents } from './client-events'
import { createClient, type ClientDeps, type ClientFacts } from './client'
import { createManager, type ManagerDeps, type ManagerState } from './manager'
import { cloneJson } from '../../lib/object'
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

/** Events held per tool while its component loads (and page events while the client-event chunk loads); the oldest are dropped past this. */
const MAX_HELD = 200

export interface HostOptions {
  env: Env
  transport: Transport
  kv: ClientKV
  nonce: string | undefined
  /** Built-in components, loaded on first use. */
  builtIns: Record<string, () => Promise<ToolModule>>
  /** Loads the `client-events` chunk the first time a tool attaches a page event or renders a widget (none: only `historyChange` works, no widget renders). */
  load?: ChunkLoader
  /** How long track() waits for one tool before resolving without it. */
  timeoutMs: number
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

/** States of a tool's component: 0 waiting for it, 1 starting, 2 ready, 3 failed. */
type State = 0 | 1 | 2 | 3

export interface Instance {
  tool: Tool
  state: State
  mc?: ManagerState
  /** What its manager and its clients use; set when its component starts (clients exist only after that). */
  deps?: ClientDeps & ManagerDeps
  held: Array<() => void>
  created?: boolean
}

const settle = (p: unknown): Promise<unknown> => Promise.resolve(p).then(undefined, () => undefined)
const LISTEN = { passive: true, capture: true }

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
  const ls = env.localStorage
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
  const clientFor = (inst: Instance, facts: ClientFacts, onReturn?: (v: unknown) => void): Client => createClient(facts, inst.deps!, onReturn)

  /** Calls `fn` for a tool, isolated: a throw or a rejection is said in debug mode, never passed on (a throw answers `undefined`). */
  const guard = (inst: Instance, what: string, fn: () => unknown, eventId?: string): Promise<unknown> | undefined => {
    try {
      return settle(fn())
    } catch (e) {
      note(inst, ['#threw', what, why(e)], eventId)
    }
  }

  // ---- Client events: the `client-events` chunk does them. Until it is here, what tools ask for
  // is queued (in order) and the page events behind their attachments are kept, bounded.

  let events: ClientEvents | undefined
  let asked: Array<[keyof ClientEvents, ...unknown[]]> | undefined
  // Unset once the chunk failed to load: what tools ask for later is neither queued nor kept.
  let loadChunk = o.load
  const early: Array<[Event, number]> = []
  const keep = (e: Event) => void (early.push([e, clock.now()]) > MAX_HELD && early.shift())

  /** Calls the chunk's `method` now, or once it is here (loading it the first time). */
  const clientEvents = (...call: [keyof ClientEvents, ...unknown[]]) => {
    if (events) return (events[call[0]] as (...a: unknown[]) => void)(...call.slice(1))
    if (!w || !loadChunk) return
    if (!asked) {
      asked = []
      // (Removing a listener that is not there does nothing.)
      const unkeep = () => asked!.forEach((c) => w.removeEventListener(String(c[2]).toLowerCase(), keep, LISTEN))
      loadChunk('client-events')
        .then((m) => {
          events = (m as { createClientEvents: typeof createClientEvents }).createClientEvents({
            w,
            clock,
            ls,
            early,
            privacy: o.privacy,
            page: () => lastPageview,
            facts: () => lastFacts,
            tools: instances,
            client: clientFor,
            guard,
            tt: trusted,
          })
          for (const c of asked!) clientEvents(...c)
          events.replay()
          unkeep()
        })
        // A file that does not load, or one that cannot start (another version of it, cached).
        .catch((e) => {
          unkeep()
          loadChunk = undefined
          early.length = 0
          o.note(String(call[1]), '#events\n' + why(e))
        })
    }
    asked.push(call)
    // Keep the page events behind an attachment until the chunk can shape them (adding the same listener twice adds it once).
    if (call[0] == 'attach' && call[3]) w.addEventListener(String(call[2]).toLowerCase(), keep, LISTEN)
  }

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
  const release = (inst: Instance, state: State) => {
    inst.state = state
    inst.held.splice(0).forEach((run) => run())
  }

  const start = (inst: Instance) => {
    const entry = components.get(inst.tool.component)
    if (!entry || inst.state) return
    inst.state = 1
    const { tool } = inst
    const id = tool.id
    const permissions = new Set(tool.permissions || entry[1] || DEFAULT_PERMISSIONS)
    // A built-in sends from the browser what Zaraz's tool of its name sends from the server (docs/writing-a-tool.md).
    if (entry[2] && permissions.has('server_network_requests')) permissions.add('client_network_requests')
    /** The network permissions already said missing on the console. */
    const refused = new Set<unknown>()
    const deps = (inst.deps = {
      toolId: id,
      name: tool.component,
      can: (p: string) => permissions.has(p),
      purpose: tool.purpose,
      consent: o.consent,
      transport,
      kv: o.kv,
      document: doc,
      nonce: o.nonce,
      // The HTTP Request tool's requests carry the event id, so a collector can recognise a retry.
      idParam: tool.component == 'http-request' ? 'tagrelay_id' : undefined,
      note: (m: unknown[]) => {
        // Without a network permission the tool goes silent: said once on the console, debug mode or not.
        if (m[0] == '#perm' && /network/.test(m[2] as string) && !refused.has(m[2])) {
          refused.add(m[2])
          warn(env.console, `tool "${id}": ${m[1]} needs the "${m[2]}" permission: not sent`)
        }
        note(inst, m)
      },
      attach: (t: string) => clientEvents('attach', id, t, true),
      detach: (t: string) => clientEvents('attach', id, t, false),
      random: env.random,
      dom: () => doc && { document: doc, nonce: o.nonce, tt: policyFor(w) },
      // Rendered by the client-events chunk (widgets are rare): after its fetch.
      widget: (cb: Parameters<ManagerDeps['widget']>[0]) => clientEvents('widget', id, cb),
    })
    const mc = (inst.mc = createManager(deps))
    let init: unknown
    try {
      init = entry[0](mc.manager, cloneJson(tool.settings))
    } catch (e) {
      note(inst, ['#start', why(e)])
      return release(inst, 3)
    }
    timeout(settle(init).then(() => 1)).then((done) => {
      if (!done) note(inst, ['#slow', o.timeoutMs])
      // Client events it attached on an earlier page view (only a tool with client-event listeners can get them).
      if (mc.clientListeners.size) clientEvents('restore', id)
      release(inst, 2)
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
    builtIn().then(
      (m) => register(name, m.default, m.permissions, m.sentFromServer),
      (e) =>
        register(name, () => {
          throw new Error(`could not load ${name}: ${why(e)}`)
        }),
    )
  }

  const call = (inst: Instance, d: ToolDelivery): Promise<unknown> => {
    if (inst.state != 2) return Promise.resolve()
    const { listeners } = inst.mc!
    const eventId = d.facts.eventId
    let returned: unknown
    const client = clientFor(inst, d.facts, (v) => (returned = v))
    lastFacts = d.facts
    const run = (type: string, name: string | undefined, payload: unknown): unknown[] =>
      (listeners.get(type) || []).map((fn: MCEventListener) => guard(inst, type, () => fn({ type, name, payload, client } as MCEvent), eventId))
    let pending: unknown[] = []
    // `clientcreated`: once per visitor and tool, before its first event (storage is read only for a tool that listens to it).
    if (!inst.created && listeners.has('clientcreated')) {
      inst.created = true
      const key = 'tagrelay_cc_' + inst.tool.id
      let first = true
      try {
        first = !ls!.getItem(key)
        ls!.setItem(key, '1')
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
    prepare: (tools) => tools.forEach((t) => load(t.component)),
    pageview(e) {
      lastPageview = e
      // Only when a tool has client-event listeners (the chunk is loading or here).
      if ((pageviews++ || e.page.href != startHref) && asked) clientEvents('history', e)
    },
    deliver(d) {
      const { tool } = d
      let i = instances.get(tool.id)!
      if (!i) {
        // The page a widget renders on, when the component starts now.
        lastFacts ||= d.facts
        instances.set(tool.id, (i = { tool, state: 0, held: [] }))
        load(tool.component)
        start(i)
      }
      if (i.state > 1) return timeout(call(i, d))
      if (i.held.length >= MAX_HELD) {
        i.held.shift()!()
        note(i, ['#held', MAX_HELD])
      }
      // Run when released (ready or failed: passed again), or when dropped (still waiting: no value).
      const held = new Promise<unknown>((resolve) => i.held.push(() => resolve(i.state > 1 ? o.pass(d) : undefined)))
      if (!i.state) note(i, ['#hold', tool.component, builtIns[tool.component] && 1], d.facts.eventId)
      return timeout(held)
    },
  }
}
