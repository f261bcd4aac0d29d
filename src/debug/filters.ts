/**
 * The panel's filters: by tool, by event name (a part of it, any case) and by outcome. An event
 * shows while its name matches and, when a tool or an outcome is chosen, one of its lines does;
 * it then shows those lines only, and the requests and notes of the chosen tool.
 */
import type { DebugRecord } from './records'
import { el } from './dom'
import { OUTCOMES, outcomeOf } from './outcome'

export interface Filters {
  /** The filter bar. */
  element: HTMLElement
  /** What of `r` to show, or `undefined` when it is filtered out. */
  select(r: DebugRecord): DebugRecord | undefined
  /** Whether any filter is set. */
  active(): boolean
  /** Offers every tool the records name in the tool list. */
  offer(records: DebugRecord[]): void
}

const ANY = ''

export function createFilters(doc: Document, changed: () => void): Filters {
  const tool = el(doc, 'select', { 'aria-label': 'Filter by tool', 'data-filter': 'tool' }, el(doc, 'option', { value: ANY }, 'All tools')) as HTMLSelectElement
  const name = el(doc, 'input', { type: 'search', placeholder: 'Event name', 'aria-label': 'Filter by event name', 'data-filter': 'name' }) as HTMLInputElement
  const outcome = el(
    doc,
    'select',
    { 'aria-label': 'Filter by outcome', 'data-filter': 'outcome' },
    el(doc, 'option', { value: ANY }, 'All outcomes'),
    ...OUTCOMES.map((o) => el(doc, 'option', { value: o }, o)),
  ) as HTMLSelectElement
  for (const control of [tool, outcome]) control.addEventListener('change', changed)
  name.addEventListener('input', changed)
  const known = new Set<string>()

  const forTool = <T extends { tool: string }>(list: T[]) => list.filter((x) => tool.value == ANY || x.tool == tool.value)

  return {
    element: el(doc, 'div', { class: 'filters', role: 'group', 'aria-label': 'Filters' }, tool, name, outcome),
    active: () => tool.value != ANY || outcome.value != ANY || name.value.trim() != '',
    offer(records) {
      for (const r of records) {
        for (const d of r.decisions) {
          if (known.has(d.tool)) continue
          known.add(d.tool)
          tool.append(el(doc, 'option', { value: d.tool }, d.tool))
        }
      }
    },
    select(r) {
      const part = name.value.trim().toLowerCase()
      if (part && !r.name.toLowerCase().includes(part)) return undefined
      if (tool.value == ANY && outcome.value == ANY) return r
      const decisions = forTool(r.decisions).filter((d) => outcome.value == ANY || outcomeOf(d) == outcome.value)
      if (!decisions.length) return undefined
      return { ...r, decisions, requests: forTool(r.requests), notes: forTool(r.notes) }
    },
  }
}
