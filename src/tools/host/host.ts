import type { Client, ClientEventType, ManagedComponent, MCEvent, MCEventListener } from '../../types/mc'
import type { PrivacySettings, Tool } from '../../config/model'
import type { Decision } from '../../router/router'
import type { TrackedEvent } from '../../types/event'
import type { Env } from '../../platform/env'
import type { Transport } from '../../transport/transport'
import type { ClientKV } from './client-kv'
import { createClient, type ClientFacts } from './client'
import { createManager, type ManagerState } from './manager'
import { createClientEvents } from './client-events'
import { cloneJson } from '../../lib/object'
import { readDevice } from '../../context/system'
import { privateUrls } from '../../context/privacy'
import { policyFor, trusted } from '../../platform/trusted-types'

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
  /** Its line in the debug record, when debugging (a stage that holds it amends it). */
  decision?: Decision
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
  /** Debug notes; `eventId` when the note is about one event's delivery. */
  note: (tool: string, message: string, eventId?: string) => void
  /** Applied to the page facts of client events, as the pipeline applies them to events. */
  privacy?: PrivacySettings
}

export interface ToolHost {
  register(name: string, component: ManagedComponent, permissions?: string[]): void
  /** Resolves to the tool's `client.return` value (or `undefined`) once it handled the event, failed, or timed out. */
  deliver(d: ToolDelivery): Promise<unknown>
  /** Starts loading every component the config names, so the first pageview does not wait on the network. */
  prepare(tools: Tool[]): void
  /**
   * A `Pageview` is about to be routed. Every one after the page's first is an SPA navigation:
   * tools attached to `historyChange` get it, with the new URL and title.
   */
  pageview(event: TrackedEvent): void
}

interface Instance {
  tool: Tool
  state: 'waiting' | 'starting' | 'ready' | 'failed'
  mc?: ManagerState
  permissions: Set<string>
  held: Array<() => void>
  clientCreated: boolean
  widgets: Array<(context: { client: Client }) => Promise<string>>
}

/** The client event types (the keys are what matters). */
const CLIENT_EVENTS: Record<ClientEventType, 1> = {
  historyChange: 1,
  visibilityChange: 1,
  pageHide: 1,
  pageShow: 1,
  scroll: 1,
  resize: 1,
  mousedown: 1,
  mouseup: 1,
  mousemove: 1,
  resourcePerformanceEntry: 1,
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
  /** The facts of the latest event: the page a client event or a widget happens on. */
  let lastFacts: ClientFacts | undefined
  // Every pageview but the page's first is an SPA navigation (`historyChange`); so is a first one for another URL.
  let pageviews = 0
  const startHref = o.env.document?.location?.href
  let widgetsShown = false
  let seq = 0
  const doc = o.env.document
  const ATTACHED = 'tagrelay_ce_'

  /** A client for `inst` on the page `facts` describe; `onReturn` receives `client.return` values. */
  const clientFor = (inst: Instance, facts: ClientFacts, onReturn: (v: unknown) => void = () => undefined): Client => {
    const id = inst.tool.id
    const client = createClient(facts, {
      toolId: id,
      can: (p) => inst.permissions.has(p),
      transport: o.transport,
      kv: o.kv,
      document: doc,
      nonce: o.nonce,
      // The HTTP Request tool's requests carry the event id, so a collector can recognise a retry.
      idParam: inst.tool.component == 'http-request' ? 'tagrelay_id' : undefined,
      note: (m) => o.note(id, m),
      onReturn,
      attach: (e: ClientEventType) => {
        events.attach(id, e)
        remember(id)
      },
      detach: (e: ClientEventType) => {
        events.detach(id, e)
        remember(id)
      },
    })
    eventOf.set(client, facts.eventId)
    return client
  }

  /** Calls `fn` for a tool, isolated: a throw or a rejection is said in debug mode, never passed on. */
  const guard = (inst: Instance, what: string, fn: () => unknown, eventId?: string): Promise<unknown> => {
    try {
      return settle(fn())
    } catch (e) {
      o.note(inst.tool.id, `its "${what}" listener threw: ${String((e as Error)?.message ?? e)}`, eventId)
      return Promise.resolve()
    }
  }

  const events = createClientEvents({
    window: o.env.window,
    clock: o.env.clock,
    deliver(type, payload) {
      if (!lastFacts) return
      const facts: ClientFacts = { ...lastFacts, time: o.env.clock.now(), eventId: `${lastFacts.eventId}.${type}.${++seq}` }
      for (const id of events.attached(type)) {
        const inst = instances.get(id)
        const fns = inst?.state == 'ready' ? inst.mc!.clientListeners.get(type) : undefined
        if (!inst || !fns) continue
        const client = clientFor(inst, facts)
        for (const fn of fns) guard(inst, type, () => fn({ type, payload: cloneJson(payload), client }))
      }
    },
  })

  /** Attachments outlive the page view, as a client's do on a server host (`clientcreated` attaches once per visitor). */
  const remember = (toolId: string) => {
    try {
      const types = (Object.keys(CLIENT_EVENTS) as ClientEventType[]).filter((t) => events.attached(t).includes(toolId))
      if (types.length) o.env.localStorage?.setItem(ATTACHED + toolId, JSON.stringify(types))
      else o.env.localStorage?.removeItem(ATTACHED + toolId)
    } catch {
      // Storage blocked: attachments last for this page view.
    }
  }
  const restore = (toolId: string) => {
    try {
      const types = JSON.parse(o.env.localStorage?.getItem(ATTACHED + toolId) || '[]') as ClientEventType[]
      for (const t of types) if (t in CLIENT_EVENTS) events.attach(toolId, t)
    } catch {
      // Nothing stored, or not readable.
    }
  }

  /** Renders a widget (`manager.registerWidget`): its HTML appended to `<body>` as inert markup. */
  const render = (inst: Instance, cb: (context: { client: Client }) => Promise<string>) => {
    guard(inst, 'registerWidget', () =>
      Promise.resolve(cb({ client: clientFor(inst, lastFacts!) })).then((html) => {
        if (typeof html != 'string' || !doc?.body) return
        const box = doc.createElement('div')
        box.setAttribute('data-tagrelay-widget', inst.tool.id)
        box.innerHTML = trusted(o.env.window).createHTML(html)
        doc.body.appendChild(box)
      }),
    )
  }

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
      random: o.env.random,
      dom: () => (doc ? Object.assign({ document: doc, nonce: o.nonce }, policyFor(o.env.window) && { tt: policyFor(o.env.window) }) : undefined),
      widget: (cb) => {
        inst.widgets.push(cb)
        if (widgetsShown && inst.state == 'ready') render(inst, cb)
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
      restore(id)
      if (widgetsShown) for (const cb of inst.widgets) render(inst, cb)
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
      inst = { tool, state: 'waiting', permissions: new Set(), held: [], clientCreated: false, widgets: [] }
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
    const client = clientFor(inst, d.facts, (v) => (returned = v))
    lastFacts = d.facts
    // Widgets render once there is a page to render on: at the first event.
    if (!widgetsShown) {
      widgetsShown = true
      for (const i of instances.values()) if (i.state == 'ready') for (const cb of i.widgets) render(i, cb)
    }
    const run = (type: string, name: string | undefined, payload: unknown): Promise<unknown>[] =>
      (listeners.get(type) || []).map((fn: MCEventListener) => guard(inst, type, () => fn({ type, name, payload, client } as MCEvent), d.facts.eventId))
    const pending: Promise<unknown>[] = []
    if (!inst.clientCreated) {
      inst.clientCreated = true
      // (Only a tool listening for it looks up the visitor: a storage access at start-up otherwise.)
      if (listeners.has('clientcreated') && firstVisit(inst.tool.id)) pending.push(...run('clientcreated', undefined, {}))
    }
    // Each tool gets its own copy: tools mutate payloads.
    pending.push(...run(d.type, d.name, cloneJson(d.payload)))
    if (!listeners.has(d.type)) o.note(inst.tool.id, `it has no "${d.type}" listener`, d.facts.eventId)
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
    pageview(event) {
      const privacy = o.privacy ?? { hideQueryParams: false, hideExternalReferer: false, hideUserAgent: false }
      const { url, referrer } = privateUrls(event.page.href, event.page.referrer, privacy)
      const device = readDevice(o.env.window)
      if (privacy.hideUserAgent) device.userAgent = ''
      const facts = { eventId: event.id, time: event.time, url: url ?? new URL('about:blank'), title: event.page.title, referer: referrer, device }
      lastFacts = facts
      if (pageviews++ || event.page.href != startHref) events.emit('historyChange', { url: facts.url.href, title: facts.title, timestamp: facts.time })
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
      if (inst.state == 'waiting')
        o.note(
          inst.tool.id,
          components.has(d.tool.component) || o.builtIns[d.tool.component]
            ? 'its component is still loading; holding the event'
            : `component "${d.tool.component}" is not registered yet; holding the event`,
          d.facts.eventId,
        )
      return timeout(held, undefined)
    },
  }
}
