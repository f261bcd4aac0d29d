import { MAX_HELD_FOR_CONSENT } from '../lib/limits'

/**
 * The words of the tool host's, the transport's and the consent gate's debug notes. The core says
 * a note as `#id`, then its arguments, one a line; only debug mode (the debugger chunk) and the
 * tests read it, so the words stay out of the core. A note without `#` is already words.
 */
const NOTES: Record<string, (...a: string[]) => string> = {
  threw: (type, ...e) => `its "${type}" listener threw: ${e.join('\n')}`,
  start: (...e) => `threw while starting: ${e.join('\n')}`,
  slow: (ms) => `not started after ${ms} ms; sending it events anyway`,
  none: (type) => `it has no "${type}" listener`,
  held: (max) => `dropped the oldest held event (over ${max})`,
  hold: (component, builtIn) => `holding the event until component "${component}" is ${builtIn ? 'loaded' : 'registered'}`,
  events: (...e) => `could not load client events: ${e.join('\n')}`,
  perm: (call, permission) => `${call} needs the "${permission}" permission; ignored`,
  server: (call) => `manager.${call} is server-only and does nothing in the browser`,
  blocked: (tool, url) => `tool "${tool || '?'}": every request to ${url} failed with a network error (blocked?)`,
  full: (tool) => `too many requests waiting in memory: one more goes to the outbox, or is dropped when that is full (tool "${tool || '?'}")`,
  dropped: (n) => `outbox: dropped ${n} (over its limits, too old or tried too often)`,
  large: (tool, bytes) => `tool "${tool || '?'}": a request of ${bytes} bytes is over the limit; not sent`,
  // The transport's reasons for a request not sent (a `Delivery`'s error).
  left: () => 'page left; kept in the outbox',
  toomany: () => 'too many waiting: in the outbox if it had room, else dropped',
  big: (bytes) => `too large: ${bytes} bytes`,
  // The consent gate's (`#refused` and `#wait` are also why a debug line says ✗).
  refused: (purpose) => `consent for purpose "${purpose}" is refused`,
  drop: (purpose) => NOTES.refused(purpose) + '; event dropped',
  wait: (purpose) => `waiting for consent for purpose "${purpose}" (held until the visitor decides)`,
  many: () => `${MAX_HELD_FOR_CONSENT} events already wait for consent; event dropped`,
  bridges: () => 'waiting for the consent bridges to load',
  // Consent at the moment a tool gets data or acts (a call, a client event, a widget), and at each attempt of a request.
  denied: (what, purpose, v) => `${what} not done: consent for purpose "${purpose}" is ${v == 'false' ? 'refused' : 'not given (yet)'}`,
  unsent: (tool, purpose) => `tool "${tool}": ${NOTES.refused(purpose)}; its request is dropped (from the outbox too)`,
}

/** The words of one note (see above). */
export function describeNote(note: string): string {
  const [id, ...a] = note.split('\n')
  const words = note[0] == '#' && NOTES[id.slice(1)]
  return words ? words(...a) : note
}
