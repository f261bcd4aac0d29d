import type { ClientEventType } from '../../types/mc'
import type { Clock } from '../../platform/env'

/** The payload key of each client event, as the Managed Components spec shows it. */
const KEY: Record<ClientEventType, string> = {
  historyChange: 'history',
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

export interface ClientEvents {
  attach(tool: string, type: ClientEventType): void
  detach(tool: string, type: ClientEventType): void
  /** The tools attached to `type`. */
  attached(type: ClientEventType): string[]
  /** Sends a client event (the runtime's SPA navigations use it for `historyChange`). */
  emit(type: ClientEventType, entry: Record<string, unknown>): void
}

export interface ClientEventsDeps {
  window: Window | undefined
  clock: Clock
  /** Delivers `{ [key]: [entry] }` to the tools attached to `type`. */
  deliver(type: ClientEventType, payload: Record<string, unknown[]>): void
}

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
 * The browser side of client events: listeners on `window` / `document` exist only while some
 * tool is attached to their event (`pagehide` / `pageshow` on `window`, never `unload`, so the
 * back-forward cache keeps working). Scroll and mouse moves are throttled to one per 200 ms
 * (the latest position is sent at the end of the window), resizes debounced by 500 ms.
 */
export function createClientEvents(deps: ClientEventsDeps): ClientEvents {
  const { window: w, clock } = deps
  const doc = w?.document
  const tools = new Map<ClientEventType, Set<string>>()
  const stops = new Map<ClientEventType, () => void>()

  const send = (type: ClientEventType, entry: Record<string, unknown>) => {
    if (tools.get(type)?.size) deps.deliver(type, { [KEY[type]]: [entry] })
  }

  /** Wraps `send` with the event's throttle or debounce. */
  const paced = (type: ClientEventType) => {
    const throttle = THROTTLE[type]
    const debounce = DEBOUNCE[type]
    let timer: unknown
    let pending: Record<string, unknown> | undefined
    let open = false
    if (debounce)
      return (entry: Record<string, unknown>) => {
        clock.clearTimeout(timer)
        timer = clock.setTimeout(() => send(type, entry), debounce)
      }
    if (throttle) {
      const close = () => {
        if (pending) {
          const p = pending
          pending = undefined
          send(type, p)
          timer = clock.setTimeout(close, throttle)
        } else open = false
      }
      return (entry: Record<string, unknown>) => {
        if (open) return void (pending = entry)
        open = true
        send(type, entry)
        timer = clock.setTimeout(close, throttle)
      }
    }
    return (entry: Record<string, unknown>) => send(type, entry)
  }

  const mouse = (e: MouseEvent, timestamp: number) => ({
    target: describe(e.target),
    timestamp,
    altKey: e.altKey,
    button: e.button,
    clientX: e.clientX,
    clientY: e.clientY,
    pageX: e.pageX,
    pageY: e.pageY,
  })

  /** Starts the browser listener behind `type`; returns how to stop it. */
  const start = (type: ClientEventType): (() => void) | undefined => {
    if (!w || !doc || type == 'historyChange') return undefined
    const emit = paced(type)
    const on = (target: EventTarget, name: string, fn: (e: Event) => void) => {
      const opts = { passive: true, capture: true }
      target.addEventListener(name, fn, opts)
      return () => target.removeEventListener(name, fn, opts)
    }
    const now = () => clock.now()
    switch (type) {
      case 'visibilityChange':
        return on(doc, 'visibilitychange', () => emit({ state: doc.visibilityState, timestamp: now() }))
      case 'pageHide':
      case 'pageShow':
        return on(w, type == 'pageHide' ? 'pagehide' : 'pageshow', (e) =>
          emit({ persisted: !!(e as PageTransitionEvent).persisted, timestamp: now() }),
        )
      case 'scroll':
        return on(doc, 'scroll', (e) => {
          const t = e.target as Element | Document
          const el = t && 'scrollTop' in t ? t : doc.scrollingElement
          emit({
            scrollLeft: el?.scrollLeft ?? 0,
            scrollTop: el?.scrollTop ?? 0,
            scrollX: w.scrollX,
            scrollY: w.scrollY,
            target: describe(el == doc.scrollingElement ? doc.body : el),
            timestamp: now(),
          })
        })
      case 'resize':
        return on(w, 'resize', () => {
          const s = w.screen
          emit({ innerWidth: w.innerWidth, innerHeight: w.innerHeight, availWidth: s?.availWidth, availHeight: s?.availHeight, timestamp: now() })
        })
      case 'mousedown':
      case 'mouseup':
      case 'mousemove':
        return on(doc, type, (e) => emit(mouse(e as MouseEvent, now())))
      case 'resourcePerformanceEntry': {
        const PO = (w as Window & { PerformanceObserver?: typeof PerformanceObserver }).PerformanceObserver
        if (!PO) return undefined
        try {
          const observer = new PO((list) => {
            for (const entry of list.getEntries()) emit({ url: entry.name, timestamp: now() })
          })
          observer.observe({ type: 'resource' })
          return () => observer.disconnect()
        } catch {
          return undefined
        }
      }
    }
    return undefined
  }

  return {
    attach(tool, type) {
      if (!(type in KEY)) return
      let set = tools.get(type)
      if (!set) tools.set(type, (set = new Set()))
      set.add(tool)
      if (set.size == 1 && !stops.has(type)) {
        const stop = start(type)
        if (stop) stops.set(type, stop)
      }
    },
    detach(tool, type) {
      const set = tools.get(type)
      if (!set?.delete(tool) || set.size) return
      stops.get(type)?.()
      stops.delete(type)
    },
    attached: (type) => [...(tools.get(type) ?? [])],
    emit: (type, entry) => send(type, entry),
  }
}
