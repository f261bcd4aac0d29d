import type { ClientEventType } from '../../types/mc'
import type { Clock } from '../../platform/env'
import type { PrivacySettings } from '../../config/model'
import type { TrackedEvent } from '../../types/event'
import type { ClientFacts } from './client'
import type { Instance } from './host'
import type { Client } from '../../types/mc'
import type { trusted } from '../../platform/trusted-types'
import { cloneJson } from '../../lib/object'
import { readDevice } from '../../context/system'
import { privateUrls } from '../../context/privacy'
import { inertMarkup } from './inert-markup'
import { LISTEN } from './client-events-proxy'

/**
 * Client events (`manager.createEventListener` + `client.attachEvent`), a lazy chunk
 * (`client-events`) the host loads the first time a tool attaches one or, having client-event
 * listeners, starts (to restore what it attached on an earlier page view). Until it is here the
 * host queues what tools ask for and keeps the page events behind their attachments; this file
 * then replays both. Page listeners exist only while some tool is attached to their event
 * (`pagehide` / `pageshow`, never `unload`, so the back-forward cache keeps working). Scroll and
 * mouse moves are throttled to one per 200 ms (the latest one sent at the end of the window),
 * resizes debounced by 500 ms.
 */

/** Every client event type; `historyChange` is sent by the host on SPA pageviews, not by a page listener. */
const TYPES = 'historyChange visibilityChange pageHide pageShow scroll resize mousedown mouseup mousemove resourcePerformanceEntry'.split(' ')


/** The payload key of each client event, as the Managed Components spec shows it. */
const KEY: Partial<Record<ClientEventType, string>> = {
  visibilityChange: 'visibilityChange',
  pageHide: 'pageHide',
  pageShow: 'pageShow',
  scroll: 'scroll',
  resize: 'dimensions',
  mousedown: 'mousedown',
  mouseup: 'mouseup',
  mousemove: 'mousemoves',
  resourcePerformanceEntry: 'resources',
}

/** Throttled (at most one per window, the latest one last) or debounced, in ms. */
const THROTTLE: Partial<Record<ClientEventType, number>> = { scroll: 200, mousemove: 200 }
const DEBOUNCE: Partial<Record<ClientEventType, number>> = { resize: 500 }

/** What the core hands over: a DOM event, or a resource entry of a PerformanceObserver. */
export type PageEvent = Event | PerformanceEntry

/** A short CSS path of an element (`body>div#cart>button`), as the spec's `target`. */
function describe(el: unknown): string {
  const parts: string[] = []
  let e = el as Element | null
  while (e && e.tagName && parts.length < 5) {
    const tag = e.tagName.toLowerCase()
    parts.unshift(e.id ? `${tag}#${e.id}` : tag)
    if (tag == 'body' || e.id) break
    e = e.parentElement
  }
  return parts.join('>')
}

/**
 * How page events of `type` become client events: returns the function the core calls with each
 * page event and the time it happened; `send` gets `{ [key]: [entry] }` for the attached tools.
 */
function clientEventHandler(
  type: ClientEventType,
  w: Window,
  clock: Clock,
  send: (payload: Record<string, unknown[]>) => void,
): (e: PageEvent, time: number) => void {
  const doc = w.document
  const out = (entry: Record<string, unknown>) => send({ [KEY[type]!]: [entry] })
  const throttle = THROTTLE[type]
  const debounce = DEBOUNCE[type]
  let timer: unknown
  let pending: Record<string, unknown> | undefined
  let open = false
  const close = () => {
    if (pending) {
      const p = pending
      pending = undefined
      out(p)
      timer = clock.setTimeout(close, throttle!)
    } else open = false
  }
  /** The last entry of a burst, once none came for `debounce` ms. */
  const debounced = (entry: Record<string, unknown>) => {
    clock.clearTimeout(timer)
    timer = clock.setTimeout(() => out(entry), debounce!)
  }
  /** The first entry at once; within the window, only the latest, at its end (`close`). */
  const throttled = (entry: Record<string, unknown>) => {
    if (open) {
      pending = entry
      return
    }
    open = true
    out(entry)
    timer = clock.setTimeout(close, throttle!)
  }
  let paced = out
  if (debounce) paced = debounced
  else if (throttle) paced = throttled

  return (e, timestamp) => {
    switch (type) {
      case 'visibilityChange':
        return paced({ state: doc.visibilityState, timestamp })
      case 'pageHide':
      case 'pageShow':
        return paced({ persisted: !!(e as PageTransitionEvent).persisted, timestamp })
      case 'scroll': {
        const t = (e as Event).target as Element | Document
        const el = t && 'scrollTop' in t ? t : doc.scrollingElement
        return paced({
          scrollLeft: el ? el.scrollLeft : 0,
          scrollTop: el ? el.scrollTop : 0,
          scrollX: w.scrollX,
          scrollY: w.scrollY,
          target: describe(el == doc.scrollingElement ? doc.body : el),
          timestamp,
        })
      }
      case 'resize': {
        const s = w.screen || {}
        return paced({ innerWidth: w.innerWidth, innerHeight: w.innerHeight, availWidth: s.availWidth, availHeight: s.availHeight, timestamp })
      }
      case 'resourcePerformanceEntry':
        return paced({ url: (e as PerformanceEntry).name, timestamp })
      default: {
        const m = e as MouseEvent
        return paced({
          target: describe(m.target),
          timestamp,
          altKey: m.altKey,
          button: m.button,
          clientX: m.clientX,
          clientY: m.clientY,
          pageX: m.pageX,
          pageY: m.pageY,
        })
      }
    }
  }
}

export interface ClientEventsContext {
  _window: Window
  clock: Clock
  _storage: Storage | undefined
  /** Page events the host kept (DOM events, with their time) while this chunk loaded. */
  early: Array<[Event, number]>
  privacy: PrivacySettings | undefined
  /** The latest pageview: the page client events happen on. */
  page: () => TrackedEvent | undefined
  /** The facts of the latest event delivered (used until there is a pageview). */
  facts: () => ClientFacts | undefined
  /** The host's tools by id, a client for one of them on a page, and how it calls a tool's listener (isolated). */
  tools: Map<string, Instance>
  client: (inst: Instance, facts: ClientFacts) => Client
  guard: (inst: Instance, what: string, fn: () => unknown) => unknown
  /** The core's Trusted Types policy (one policy per page: a page may allow `tagrelay` once only). */
  _trustedTypes: typeof trusted
}

export interface ClientEvents {
  /** Attaches (or detaches) tool `id`; `keep` remembers it for the next page views. */
  attach(id: string, type: string, on: boolean, keep?: boolean): void
  /** Attaches a starting tool to what it attached on an earlier page view. */
  restore(id: string): void
  /** An SPA navigation, pageview `e` (queued ones replay in order, each with its own page): tools attached to `historyChange` get it. */
  history(e: TrackedEvent): void
  /** Replays the page events the host kept while this chunk loaded (after the queued attachments). */
  replay(): void
  /** Renders tool `id`'s widget (`manager.registerWidget`): the HTML `cb` resolves to, appended to `<body>` as inert markup (./inert-markup.ts). */
  widget(id: string, cb: (context: { client: Client }) => Promise<string>): void
}

const STORED = 'tagrelay_ce_'

export function createClientEvents({ _window: w, clock, _storage: ls, early, privacy = {} as PrivacySettings, page, facts: delivered, tools, client: clientFor, guard, _trustedTypes: tt }: ClientEventsContext): ClientEvents {
  const attached = new Map<string, Set<string>>()
  let built: [TrackedEvent, ClientFacts] | undefined
  /** The facts of pageview `e` (the current page), privacy settings applied; built (layout reads) once per pageview, when first needed. */
  const facts = (e = page()): ClientFacts | undefined => {
    if (!e) return delivered()
    if (!built || built[0] != e) {
      const { url, referrer } = privateUrls(e.page.href, e.page.referrer, privacy)
      const device = readDevice(w)
      if (privacy.hideUserAgent) device.userAgent = ''
      built = [e, { eventId: e.id, time: e.time, url: url || new URL('about:blank'), title: e.page.title, referer: referrer, device }]
    }
    return built[1]
  }
  let seq = 0
  /** What was said dropped for consent (tool id and client event type, or `registerWidget`): once, until one goes through again. */
  const told = new Set<string>()
  /**
   * Whether the tool's purpose is granted at this moment (consent is checked when data reaches a
   * tool, docs/consent.md). Client events are moments: one not sent now is dropped, not held.
   */
  const allowed = (inst: Instance, what: string) => {
    const { _consent: consent, _purpose: purpose, _note: note } = inst._deps!
    const v = consent(purpose)
    const key = inst.tool.id + ' ' + what
    if (v) told.delete(key)
    else if (!told.has(key)) {
      told.add(key)
      note(['#denied', what, purpose, v])
    }
    return v
  }
  /** Sends a client event to the tools attached to it (ready ones with listeners for it, purpose granted), each with a client of the page `on` describes (the current one). */
  const send = (type: string, payload: Record<string, unknown>, on = facts()) => {
    if (!on) return
    const f = { ...on, time: clock.now(), eventId: `${on.eventId}.${type}.${++seq}` }
    for (const id of [...(attached.get(type) || [])]) {
      const inst = tools.get(id)
      const fns = inst?._state == 'ready' && inst._managerState!._clientListeners.get(type as ClientEventType)
      if (!fns || !allowed(inst!, type)) continue
      const client = clientFor(inst!, f)
      for (const fn of fns) guard(inst!, type, () => fn({ type, payload: cloneJson(payload), client }))
    }
  }
  const stops = new Map<string, (() => void) | undefined>()
  const handlers = new Map<string, (e: PageEvent, time: number) => void>()

  /** Starts the page listener behind `type`; returns how to stop it. */
  const listen = (type: ClientEventType): (() => void) | undefined => {
    const handle = clientEventHandler(type, w, clock, (p) => send(type, p))
    const on = (e: PageEvent) => handle(e, clock.now())
    handlers.set(type, handle)
    if (type == 'resourcePerformanceEntry') {
      const PO = (w as Window & { PerformanceObserver?: typeof PerformanceObserver }).PerformanceObserver
      if (!PO) return undefined
      try {
        const observer = new PO((list) => list.getEntries().forEach(on))
        // Buffered: resources that finished while this chunk loaded are not lost (nor earlier ones of the page).
        observer.observe({ type: 'resource', buffered: true })
        return () => observer.disconnect()
      } catch {
        return undefined
      }
    }
    const name = type.toLowerCase()
    w.addEventListener(name, on, LISTEN)
    return () => w.removeEventListener(name, on, LISTEN)
  }

  const attach = (id: string, type: string, on: boolean, keep = true) => {
    if (TYPES.indexOf(type) < 0) return
    let set = attached.get(type)
    if (!set) attached.set(type, (set = new Set()))
    if (on) {
      set.add(id)
      if (!stops.has(type)) stops.set(type, type == TYPES[0] ? undefined : listen(type as ClientEventType))
    } else if (set.delete(id) && !set.size) {
      const stop = stops.get(type)
      stops.delete(type)
      handlers.delete(type)
      if (stop) stop()
    }
    // Attachments outlive the page view, as a client's do on a server host (`clientcreated` attaches once per visitor).
    if (keep)
      try {
        const types = TYPES.filter((t) => attached.has(t) && attached.get(t)!.has(id))
        if (types.length) ls!.setItem(STORED + id, JSON.stringify(types))
        else ls!.removeItem(STORED + id)
      } catch {
        // No storage: attachments last for this page view.
      }
  }

  return {
    attach,
    restore(id) {
      try {
        for (const t of JSON.parse((ls && ls.getItem(STORED + id)) || '[]')) attach(id, t, true, false)
      } catch {
        // Nothing stored, or not readable.
      }
    },
    history(e) {
      const set = attached.get(TYPES[0])
      const f = facts(e)
      if (set && set.size && f) send(TYPES[0], { history: [{ url: f.url.href, title: f.title, timestamp: f.time }] }, f)
    },
    replay() {
      for (const [e, t] of early.splice(0)) {
        const handle = handlers.get(TYPES.find((x) => x.toLowerCase() == e.type) || '')
        if (handle) handle(e, t)
      }
    },
    widget(id, cb) {
      const inst = tools.get(id)!
      const doc = w.document
      // On the page of the latest event delivered (the tool's first one: its component starts there);
      // a microtask later, so that a component that throws while starting (failed) renders none;
      // only while the tool's purpose is granted.
      guard(inst, 'registerWidget', () =>
        Promise.resolve()
          .then((): unknown => inst._state != 'failed' && allowed(inst, 'registerWidget') && cb({ client: clientFor(inst, delivered()!) }))
          .then((html) => {
            // Consent again when the markup arrives: it may have been withdrawn meanwhile.
            if (typeof html == 'string' && doc.body && allowed(inst, 'registerWidget')) {
              const box = doc.createElement('div')
              box.setAttribute('data-tagrelay-widget', id)
              box.appendChild(inertMarkup(doc, html, tt(w)))
              doc.body.appendChild(box)
            }
          }),
      )
    },
  }
}
