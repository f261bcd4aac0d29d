import type { ConfigIssue } from '../types/config'
import { describeIssues } from '../config/messages'
import type { Decision } from '../router/router'
import type { OutgoingRequest, Transport } from '../transport/transport'
import { explain } from '../router/explain'
import { describeNote } from './notes'

/** A request a tool made for an event, and what became of it. */
export interface DebugRequest {
  tool: string
  url: string
  method: string
  state: 'pending' | 'sent' | 'failed'
  status?: number
  attempts?: number
  error?: string
}

/** What happened to one event: for every tool and action, whether it got it and why (not). */
export interface DebugRecord {
  id: string
  name: string
  time: number
  properties: Record<string, unknown>
  system: unknown
  decisions: Decision[]
  requests: DebugRequest[]
  /** What tools did that had no effect, or went wrong (a missing permission, a listener that threw…). */
  notes: Array<{ tool: string; message: string }>
  /** True once every tool it went to has handled it (or failed, or timed out). */
  done: boolean
}

export interface DebugRecorder {
  readonly records: DebugRecord[]
  readonly config: { errors: ConfigIssue[]; warnings: ConfigIssue[] }
  add(record: DebugRecord): void
  note(eventId: string | undefined, tool: string, message: string): void
  /** Calls `fn` after every change (a new record, a request settling, a late delivery). */
  subscribe(fn: () => void): () => void
  changed(): void
  /** The transport, recording each request under its event. */
  watch(transport: Transport): Transport
  /** Why each tool and action did or did not get a routed event (the core routes without words). */
  explain: typeof explain
}

/** Records are kept for the last events only. */
const MAX_RECORDS = 200

export function createRecorder(config: { errors: ConfigIssue[]; warnings: ConfigIssue[] }, onRecord?: (r: DebugRecord) => void): DebugRecorder {
  const records: DebugRecord[] = []
  const byId = new Map<string, DebugRecord>()
  const listeners = new Set<() => void>()
  const changed = () => listeners.forEach((fn) => fn())
  const recorder: DebugRecorder = {
    records,
    // In words (the core reports problems by message id).
    config: { errors: describeIssues(config.errors), warnings: describeIssues(config.warnings) },
    add(record) {
      records.push(record)
      byId.set(record.id, record)
      if (records.length > MAX_RECORDS) byId.delete(records.shift()!.id)
      onRecord?.(record)
      changed()
    },
    note(eventId, tool, message) {
      const r = eventId ? byId.get(eventId) : records[records.length - 1]
      r?.notes.push({ tool, message })
      changed()
    },
    subscribe(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    changed,
    explain,
    watch(transport) {
      return {
        ...transport,
        send(req: OutgoingRequest) {
          const entry: DebugRequest = { tool: req.toolId ?? '', url: req.url, method: (req.method || (req.kind == 'image' ? 'GET (image)' : 'GET')).toUpperCase(), state: 'pending' }
          const record = req.eventId ? byId.get(req.eventId) : undefined
          record?.requests.push(entry)
          changed()
          return transport.send(req).then((d) => {
            entry.state = d.ok ? 'sent' : 'failed'
            entry.status = d.status
            entry.attempts = d.attempts
            entry.error = d.error && describeNote(d.error)
            changed()
            return d
          })
        },
      }
    },
  }
  return recorder
}
