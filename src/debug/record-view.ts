/** One event in the panel: its name and time, properties, and a line per tool and action, its requests and notes. */
import type { DebugRecord, DebugRequest } from './records'
import { el, type Child } from './dom'
import { outcomeOf, type Outcome } from './outcome'

/** A `<details>` that stays open across renders (`key` remembers it). */
export type Section = (key: string, title: Child, ...content: Child[]) => HTMLDetailsElement

const json = (v: unknown) => {
  try {
    return JSON.stringify(v, null, 2) ?? ''
  } catch {
    return String(v)
  }
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23)

/** Held for consent is a warning (it may still go out), not a failure. */
const OUTCOME_CLASS: Record<Outcome, string> = { sent: 'ok', held: 'warn', blocked: 'failed', 'not matched': 'failed' }

const STATE_CLASS: Record<DebugRequest['state'], string> = { failed: 'failed', sent: 'ok', pending: 'muted' }

export function renderRecord(doc: Document, r: DebugRecord, section: Section): HTMLDetailsElement {
  const sent = r.decisions.filter((d) => d.sent)
  const rows = r.decisions.map((d) => {
    const said = d.sent ? `✓ ${d.type ?? 'sent'}` : '✗ not sent'
    const outcome = outcomeOf(d)
    const payload = d.payload && section(`${r.id}/${d.tool}/${d.action ?? 'ecommerce'}/payload`, 'payload', el(doc, 'pre', {}, json(d.payload)))
    return el(
      doc,
      'tr',
      { 'data-tool': d.tool, 'data-sent': String(d.sent), 'data-outcome': outcome },
      el(doc, 'td', {}, d.action ? `${d.tool} / ${d.action}` : d.tool),
      el(doc, 'td', {}, el(doc, 'span', { class: OUTCOME_CLASS[outcome] }, said), ' ', el(doc, 'span', { class: 'muted reason' }, d.reason), payload),
    )
  })
  const requests = r.requests.map((q) => {
    const attempts = q.attempts && q.attempts > 1 ? ` (${q.attempts} attempts)` : ''
    return el(
      doc,
      'li',
      { 'data-tool': q.tool },
      el(doc, 'span', { class: STATE_CLASS[q.state] }, q.state),
      ` ${q.tool}: ${q.method} ${q.url}`,
      q.status ? ` → ${q.status}` : '',
      attempts,
      q.error ? el(doc, 'span', { class: 'failed' }, ` ${q.error}`) : '',
    )
  })
  const notes = r.notes.map((n) => el(doc, 'li', { class: 'warn' }, `${n.tool}: ${n.message}`))
  const title = doc.createDocumentFragment()
  title.append(el(doc, 'span', { class: 'name' }, r.name), el(doc, 'span', { class: 'muted' }, ` ${time(r.time)} · ${sent.length} sent`))
  const tools = rows.length ? el(doc, 'table', {}, el(doc, 'tbody', {}, ...rows)) : el(doc, 'p', { class: 'muted' }, 'No tool or action is configured.')
  return section(
    r.id,
    title,
    el(doc, 'h3', {}, 'Properties'),
    el(doc, 'pre', {}, json(r.properties)),
    section(`${r.id}/system`, 'System properties', el(doc, 'pre', {}, json(r.system))),
    el(doc, 'h3', {}, 'Tools'),
    tools,
    requests.length > 0 && el(doc, 'h3', {}, 'Requests'),
    requests.length > 0 && el(doc, 'ul', {}, ...requests),
    notes.length > 0 && el(doc, 'h3', {}, 'Notes'),
    notes.length > 0 && el(doc, 'ul', {}, ...notes),
  )
}
