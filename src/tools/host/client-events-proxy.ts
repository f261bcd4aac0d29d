import type { ChunkLoader } from '../../platform/env'
import type { ClientEvents, ClientEventsContext, createClientEvents } from './client-events'
import { why } from '../../lib/warn'
import { MAX_EARLY_CLIENT_EVENTS } from '../../lib/limits'

/** Page listeners: on window, capturing, so events on the document and its elements are seen too. */
export const LISTEN = { passive: true, capture: true }

/** A call to make on the chunk: its method and arguments (`attach`: tool id, type, on). */
export type ClientEventsCall = [keyof ClientEvents, ...unknown[]]

export interface ClientEventsProxy {
  /** Calls the chunk's method now, or once it is here (loading it the first time). */
  call(...call: ClientEventsCall): void
  /** A tool has asked for client events or a widget (the chunk is loading or here). */
  asked(): boolean
}

/**
 * Client events are done by the `client-events` chunk. Until it is here, what tools ask for is
 * queued (in order) and the page events behind their attachments are kept, bounded; a chunk that
 * fails to load is said once (`note`, with the tool whose call loaded it) and later calls do nothing.
 * `context` gives what the chunk needs, when it arrives.
 */
export function createClientEventsProxy(
  w: Window | undefined,
  load: ChunkLoader | undefined,
  now: () => number,
  context: (early: Array<[Event, number]>) => ClientEventsContext,
  note: (tool: string, message: string) => void,
): ClientEventsProxy {
  let events: ClientEvents | undefined
  let queued: ClientEventsCall[] | undefined
  // Unset once the chunk failed to load: what tools ask for later is neither queued nor kept.
  let loadChunk = load
  const early: Array<[Event, number]> = []
  const keep = (e: Event) => {
    early.push([e, now()])
    if (early.length > MAX_EARLY_CLIENT_EVENTS) early.shift()
  }
  const typeOf = (call: ClientEventsCall) => String(call[2]).toLowerCase()

  const call = (...call: ClientEventsCall) => {
    if (events) {
      const method = events[call[0]] as (...args: unknown[]) => void
      method(...call.slice(1))
      return
    }
    if (!w || !loadChunk) return
    if (!queued) {
      const calls: ClientEventsCall[] = []
      queued = calls
      // (Removing a listener that is not there does nothing.)
      const unkeep = () => {
        for (const c of calls) w.removeEventListener(typeOf(c), keep, LISTEN)
      }
      loadChunk('client-events')
        .then((m) => {
          events = (m as { createClientEvents: typeof createClientEvents }).createClientEvents(context(early))
          for (const c of calls) proxy.call(...c)
          events.replay()
          unkeep()
        })
        // A file that does not load, or one that cannot start (another version of it, cached).
        .catch((e) => {
          unkeep()
          loadChunk = undefined
          early.length = 0
          note(String(call[1]), '#events\n' + why(e))
        })
    }
    queued.push(call)
    // Keep the page events behind an attachment until the chunk can shape them (adding the same listener twice adds it once).
    if (call[0] == 'attach' && call[3]) w.addEventListener(typeOf(call), keep, LISTEN)
  }
  const proxy: ClientEventsProxy = { call, asked: () => !!queued }
  return proxy
}
