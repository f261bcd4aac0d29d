import type { ClientEventType } from '../../types/mc'
import type { Clock } from '../../platform/env'

/**
 * The page side of client events, a lazy chunk (`client-events`): the core host listens to the
 * page itself from the moment a tool attaches (and keeps what happens until this file is here);
 * this turns each page event into the spec's payload, paced: scroll and mouse moves throttled to
 * one per 200 ms (the latest one sent at the end of the window), resizes debounced by 500 ms.
 */

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
export function clientEventHandler(
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
  const paced = debounce
    ? (entry: Record<string, unknown>) => {
        clock.clearTimeout(timer)
        timer = clock.setTimeout(() => out(entry), debounce)
      }
    : throttle
      ? (entry: Record<string, unknown>) => {
          if (open) return void (pending = entry)
          open = true
          out(entry)
          timer = clock.setTimeout(close, throttle)
        }
      : out

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
