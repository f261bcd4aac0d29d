import type { ConfigIssue } from '../types/config'
import type { RuntimeOptions } from '../runtime'
import type { DebugRecorder } from './records'
import { createRecorder } from './records'
import { showDebugger } from './panel'
import { configWarnings } from '../config/warnings'
import { formatIssue } from '../config/messages'
import { describeNote } from './notes'
import { PREFIX } from '../lib/warn'

/** The runtime's options: the config as the page gave it (its warnings are looked for here, not in the core), `env` (console, document), `nonce`, `onDebugRecord` (every record, debug mode or not). */
export type AttachOptions = Pick<RuntimeOptions, 'config' | 'env' | 'nonce' | 'onDebugRecord'>

/**
 * What the runtime does once the debugger file is here: says the config's warnings (debug mode),
 * starts recording every event's decisions, and shows the panel (debug mode, with a document).
 */
export function attachDebugger(o: AttachOptions, errors: ConfigIssue[], debug: boolean): DebugRecorder {
  const log = o.env.console
  const doc = o.env.document
  const warnings = configWarnings(o.config)
  if (debug && warnings.length) log.warn(PREFIX, 'config warnings:\n' + warnings.map(formatIssue).join('\n'))
  const recorder = createRecorder({ errors, warnings }, (r) => {
    o.onDebugRecord?.(r)
    if (!debug) return
    log.info(PREFIX, `event "${r.name}"`, r)
    doc?.dispatchEvent(new CustomEvent('tagrelay:debug', { detail: r }))
  })
  // A tool's notes come as ids: they are kept (and said, in debug mode) in words.
  const note = recorder.note
  recorder.note = (eventId, tool, m) => {
    m = describeNote(m)
    if (debug) log.info(PREFIX, `tool "${tool}": ${m}`)
    note(eventId, tool, m)
  }
  if (debug && doc) showDebugger({ recorder, document: doc, nonce: o.nonce })
  return recorder
}
