import type { ConfigIssue } from '../types/config'
import type { Logger } from '../platform/env'
import type { DebugRecord, DebugRecorder } from './records'
import { createRecorder } from './records'
import { showDebugger } from './panel'
import { configWarnings } from '../config/warnings'
import { formatIssue } from '../config/messages'
import { describeNote } from './notes'

export interface AttachOptions {
  /** The config as the page gave it: its warnings are looked for here, not in the core. */
  config: unknown
  errors: ConfigIssue[]
  /** Debug mode (the `zarazDebug` cookie matches `debugKey`): console lines, events, the panel. */
  debug: boolean
  log: Logger
  prefix: string
  /** Receives every record, debug mode or not (`onDebugRecord`). */
  onRecord?: (r: DebugRecord) => void
  document?: Document
  nonce?: string
}

/**
 * What the runtime does once the debugger file is here: says the config's warnings (debug mode),
 * starts recording every event's decisions, and shows the panel (debug mode, with a document).
 */
export function attachDebugger(o: AttachOptions): DebugRecorder {
  const warnings = configWarnings(o.config)
  if (o.debug && warnings.length) o.log.warn(o.prefix, 'config warnings:\n' + warnings.map(formatIssue).join('\n'))
  const recorder = createRecorder({ errors: o.errors, warnings }, (r) => {
    o.onRecord?.(r)
    if (!o.debug) return
    o.log.info(o.prefix, `event "${r.name}"`, r)
    o.document?.dispatchEvent(new CustomEvent('tagrelay:debug', { detail: r }))
  })
  // A tool's notes come as ids: they are kept (and said, in debug mode) in words.
  const note = recorder.note
  recorder.note = (eventId, tool, m) => {
    m = describeNote(m)
    if (o.debug) o.log.info(o.prefix, `tool "${tool}": ${m}`)
    note(eventId, tool, m)
  }
  if (o.debug && o.document) showDebugger({ recorder, document: o.document, nonce: o.nonce })
  return recorder
}
