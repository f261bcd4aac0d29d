/**
 * The debugger panel: a shadow root (page CSS cannot reach it) listing every event, which tools
 * got it with what payload, the requests they made and how they went, and why every other tool
 * did not. Filters (tool, event name, outcome), Clear, a resizable height, and a collapse to a
 * small badge (Escape); on a narrow screen a sheet docked to the bottom. Built with DOM calls and
 * `textContent` only (CSP and Trusted Types safe); styles through a constructed stylesheet, or a
 * `<style>` carrying the page nonce. Loaded as its own chunk, only in debug mode.
 */
import type { DebugRecord, DebugRecorder } from './records'
import { el, type Child } from './dom'
import { createFilters } from './filters'
import { renderRecord } from './record-view'
import { makeResizable } from './resize'
import { CSS, NARROW_PX } from './theme'

export interface DebuggerOptions {
  recorder: DebugRecorder
  document: Document
  nonce?: string
}

/** The panel's first height: a third of a desktop window, half a phone's. */
const DESKTOP_HEIGHT_PX = 320
const NARROW_SHARE = 0.5

/** The styles: adopted where the browser can, else a `<style>` with the nonce. */
function style(doc: Document, root: ShadowRoot, nonce: string | undefined) {
  const Sheet = (doc.defaultView as (Window & typeof globalThis) | null)?.CSSStyleSheet
  try {
    if (Sheet && 'replaceSync' in Sheet.prototype && 'adoptedStyleSheets' in root) {
      const sheet = new Sheet()
      sheet.replaceSync(CSS)
      root.adoptedStyleSheets = [sheet]
      return
    }
  } catch {
    // Not adoptable here: a <style> below.
  }
  const element = doc.createElement('style')
  if (nonce) element.nonce = nonce
  element.textContent = CSS
  root.append(element)
}

export function showDebugger({ recorder, document: doc, nonce }: DebuggerOptions): { element: HTMLElement; close(): void } {
  const hostEl = doc.createElement('div')
  hostEl.id = 'tagrelay-debugger'
  const root = hostEl.attachShadow({ mode: 'open' })
  style(doc, root, nonce)
  const win = doc.defaultView

  const open = new Set<string>()
  /** What Clear took away (the recorder keeps its records: `onDebugRecord` and the console are not the panel's). */
  const cleared = new WeakSet<DebugRecord>()
  const panel = el(doc, 'section', { class: 'panel', id: 'panel', role: 'region', 'aria-label': 'tagrelay debugger' })
  const grip = el(doc, 'div', { class: 'grip' })
  const count = el(doc, 'span', { class: 'count' })
  const clear = el(doc, 'button', { type: 'button', 'data-control': 'clear' }, 'Clear')
  const collapse = el(doc, 'button', { type: 'button', 'data-control': 'collapse', 'aria-expanded': 'true', 'aria-controls': 'panel', title: 'Collapse (Escape)' }, 'Collapse')
  const badge = el(doc, 'button', { type: 'button', class: 'badge', 'data-control': 'expand', 'aria-expanded': 'false', 'aria-controls': 'panel', hidden: '' })
  const filters = createFilters(doc, () => render())
  const body = el(doc, 'div', { class: 'body' })
  panel.append(grip, el(doc, 'header', {}, el(doc, 'h2', {}, 'tagrelay', el(doc, 'span', { class: 'wide' }, ' debugger')), count, clear, collapse), filters.element, body)
  root.append(panel, badge)

  if (win) {
    const narrow = win.innerWidth <= NARROW_PX
    makeResizable(grip, panel, win, narrow ? win.innerHeight * NARROW_SHARE : DESKTOP_HEIGHT_PX)
  }

  const setCollapsed = (collapsed: boolean) => {
    panel.hidden = collapsed
    badge.hidden = !collapsed
    collapse.setAttribute('aria-expanded', String(!collapsed))
    badge.setAttribute('aria-expanded', String(!collapsed))
    // Focus follows: to the badge that brings the panel back, or into the panel.
    if (collapsed) badge.focus()
    else collapse.focus()
  }
  collapse.addEventListener('click', () => setCollapsed(true))
  badge.addEventListener('click', () => setCollapsed(false))
  panel.addEventListener('keydown', (e) => {
    if (e.key != 'Escape') return
    e.preventDefault()
    setCollapsed(true)
  })
  clear.addEventListener('click', () => {
    for (const r of recorder.records) cleared.add(r)
    render()
  })

  const remember = (d: HTMLDetailsElement, key: string) => {
    if (open.has(key)) d.open = true
    d.addEventListener('toggle', () => {
      if (d.open) open.add(key)
      else open.delete(key)
    })
    return d
  }
  const section = (key: string, title: Child, ...content: Child[]) =>
    remember(el(doc, 'details', { 'data-key': key }, el(doc, 'summary', {}, title), ...content) as HTMLDetailsElement, key)

  const configSection = () => {
    const { errors, warnings } = recorder.config
    const issues = [...errors.map((i) => ['failed', i] as const), ...warnings.map((i) => ['warn', i] as const)]
    if (!issues.length) return undefined
    const items = issues.map(([kind, i]) => el(doc, 'li', { class: kind }, `${i.path || '(config)'}: ${i.message}`))
    return section('config', `Config: ${errors.length} error(s), ${warnings.length} warning(s)`, el(doc, 'ul', {}, ...items))
  }

  /** Why the list is empty, when it is. */
  const emptyText = (total: number, kept: number) => {
    if (kept > 0) return 'No event matches the filters.'
    if (total > 0) return 'Cleared. New events show here.'
    return 'No events yet.'
  }

  let scheduled = false
  const render = () => {
    scheduled = false
    const records = recorder.records
    filters.offer(records)
    const kept = records.filter((r) => !cleared.has(r))
    const shown: DebugRecord[] = []
    for (const r of kept) {
      const part = filters.select(r)
      if (part) shown.push(part)
    }
    const events = shown.reverse().map((r) => renderRecord(doc, r, section))
    const empty = events.length == 0 && el(doc, 'p', { class: 'muted' }, emptyText(records.length, kept.length))
    const config = configSection()
    body.replaceChildren(...[config, ...events, empty].filter((x): x is HTMLElement => !!x))
    count.textContent = filters.active() ? `${shown.length} of ${kept.length} events` : `${kept.length} event(s)`
    badge.textContent = `tagrelay · ${kept.length}`
    badge.setAttribute('aria-label', `Show the tagrelay debugger (${kept.length} events)`)
  }
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    if (win?.requestAnimationFrame) win.requestAnimationFrame(render)
    else setTimeout(render, 16)
  }
  const unsubscribe = recorder.subscribe(schedule)
  render()
  const parent = doc.body || doc.documentElement
  parent.append(hostEl)
  return {
    element: hostEl,
    close() {
      unsubscribe()
      hostEl.remove()
    },
  }
}
