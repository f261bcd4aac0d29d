/**
 * The debugger panel: a shadow root (page CSS cannot reach it) listing every event, which tools
 * got it with what payload, the requests they made and how they went, and why every other tool
 * did not. Built with DOM calls and `textContent` only (no HTML strings: CSP and Trusted Types
 * safe); styles through a constructed stylesheet, or a `<style>` carrying the page nonce.
 * Loaded as its own chunk, only in debug mode.
 */
import type { DebugRecord, DebugRecorder } from './records'

const CSS = `
:host { all: initial; }
.panel { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; width: min(560px, calc(100vw - 24px));
  max-height: min(70vh, 640px); display: flex; flex-direction: column; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: #1d2433; background: #fff; border: 1px solid #c9d1e0; border-radius: 8px; box-shadow: 0 8px 28px rgba(0,0,0,.18); }
.panel.min { max-height: none; }
.panel.min .body { display: none; }
header { display: flex; align-items: center; gap: 8px; padding: 6px 10px; background: #1d2b4f; color: #fff; border-radius: 7px 7px 0 0; }
header h2 { font: inherit; font-weight: 700; margin: 0; flex: 1; }
button { font: inherit; cursor: pointer; border: 1px solid #8fa0c7; background: #2d3d66; color: #fff; border-radius: 4px; padding: 1px 8px; }
button:focus-visible, summary:focus-visible { outline: 2px solid #f5a623; outline-offset: 1px; }
.body { overflow: auto; padding: 6px 10px 10px; }
details { border-top: 1px solid #e3e8f2; padding: 4px 0; }
summary { cursor: pointer; }
.name { font-weight: 700; }
.muted { color: #5b6680; }
.ok { color: #0b7a3e; }
.no { color: #b3261e; }
.warn { color: #8a5a00; }
pre { margin: 4px 0; padding: 6px; background: #f4f6fb; border-radius: 4px; overflow: auto; max-height: 220px; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
td { vertical-align: top; padding: 2px 4px; border-bottom: 1px solid #eef1f7; }
h3 { font: inherit; font-weight: 700; margin: 6px 0 2px; }
ul { margin: 2px 0; padding-left: 16px; }
@media (prefers-color-scheme: dark) {
  .panel { color: #e6e9f2; background: #151a26; border-color: #36405a; }
  pre { background: #1f2636; }
  details, td { border-color: #2a3247; }
  .muted { color: #9aa5c0; } .ok { color: #5fd08f; } .no { color: #ff8a80; } .warn { color: #ffcc66; }
}`

type Child = Node | string | undefined | false

function el(doc: Document, tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = doc.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  for (const c of children) if (c !== undefined && c !== false) e.append(c)
  return e
}

const json = (v: unknown) => {
  try {
    return JSON.stringify(v, null, 2) ?? ''
  } catch {
    return String(v)
  }
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23)

export interface DebuggerOptions {
  recorder: DebugRecorder
  document: Document
  nonce?: string
}

export function showDebugger({ recorder, document: doc, nonce }: DebuggerOptions): { element: HTMLElement; close(): void } {
  const hostEl = doc.createElement('div')
  hostEl.id = 'tagrelay-debugger'
  const root = hostEl.attachShadow({ mode: 'open' })
  const Sheet = (doc.defaultView as (Window & typeof globalThis) | null)?.CSSStyleSheet
  let adopted = false
  try {
    if (Sheet && 'replaceSync' in Sheet.prototype && 'adoptedStyleSheets' in root) {
      const sheet = new Sheet()
      sheet.replaceSync(CSS)
      root.adoptedStyleSheets = [sheet]
      adopted = true
    }
  } catch {
    adopted = false
  }
  if (!adopted) {
    const style = doc.createElement('style')
    if (nonce) style.nonce = nonce
    style.textContent = CSS
    root.append(style)
  }

  const open = new Set<string>()
  let minimised = false
  const panel = el(doc, 'section', { class: 'panel', role: 'region', 'aria-label': 'tagrelay debugger' })
  const count = el(doc, 'span', { class: 'muted' })
  const toggle = el(doc, 'button', { type: 'button', 'aria-expanded': 'true' }, 'Hide')
  const body = el(doc, 'div', { class: 'body' })
  toggle.addEventListener('click', () => {
    minimised = !minimised
    panel.classList.toggle('min', minimised)
    toggle.textContent = minimised ? 'Show' : 'Hide'
    toggle.setAttribute('aria-expanded', String(!minimised))
  })
  panel.append(el(doc, 'header', {}, el(doc, 'h2', {}, 'tagrelay debugger'), count, toggle), body)
  root.append(panel)

  const remember = (d: HTMLDetailsElement, key: string) => {
    if (open.has(key)) d.open = true
    d.addEventListener('toggle', () => (d.open ? open.add(key) : open.delete(key)))
    return d
  }
  const section = (key: string, title: Child, ...content: Child[]) =>
    remember(el(doc, 'details', { 'data-key': key }, el(doc, 'summary', {}, title), ...content) as HTMLDetailsElement, key)

  const renderRecord = (r: DebugRecord) => {
    const sent = r.decisions.filter((d) => d.sent)
    const rows = r.decisions.map((d) =>
      el(
        doc,
        'tr',
        { 'data-tool': d.tool, 'data-sent': String(d.sent) },
        el(doc, 'td', {}, d.tool + (d.action ? ` / ${d.action}` : '')),
        el(
          doc,
          'td',
          {},
          el(doc, 'span', { class: d.sent ? 'ok' : 'no' }, d.sent ? `✓ ${d.type ?? 'sent'}` : '✗ not sent'),
          ' ',
          el(doc, 'span', { class: 'muted reason' }, d.reason),
          d.payload && section(`${r.id}/${d.tool}/${d.action ?? 'ecommerce'}/payload`, 'payload', el(doc, 'pre', {}, json(d.payload))),
        ),
      ),
    )
    const requests = r.requests.map((q) =>
      el(
        doc,
        'li',
        { 'data-tool': q.tool },
        el(doc, 'span', { class: q.state == 'failed' ? 'no' : q.state == 'sent' ? 'ok' : 'muted' }, q.state),
        ` ${q.tool}: ${q.method} ${q.url}`,
        q.status ? ` → ${q.status}` : '',
        q.attempts && q.attempts > 1 ? ` (${q.attempts} attempts)` : '',
        q.error ? el(doc, 'span', { class: 'no' }, ` ${q.error}`) : '',
      ),
    )
    const notes = r.notes.map((n) => el(doc, 'li', { class: 'warn' }, `${n.tool}: ${n.message}`))
    return section(
      r.id,
      [el(doc, 'span', { class: 'name' }, r.name), el(doc, 'span', { class: 'muted' }, ` ${time(r.time)} · ${sent.length} sent`)].reduce(
        (f, n) => (f.append(n), f),
        doc.createDocumentFragment(),
      ),
      el(doc, 'h3', {}, 'Properties'),
      el(doc, 'pre', {}, json(r.properties)),
      section(`${r.id}/system`, 'System properties', el(doc, 'pre', {}, json(r.system))),
      el(doc, 'h3', {}, 'Tools'),
      rows.length ? el(doc, 'table', {}, el(doc, 'tbody', {}, ...rows)) : el(doc, 'p', { class: 'muted' }, 'No tool or action is configured.'),
      requests.length > 0 && el(doc, 'h3', {}, 'Requests'),
      requests.length > 0 && el(doc, 'ul', {}, ...requests),
      notes.length > 0 && el(doc, 'h3', {}, 'Notes'),
      notes.length > 0 && el(doc, 'ul', {}, ...notes),
    )
  }

  const render = () => {
    scheduled = false
    const { errors, warnings } = recorder.config
    const issues = [...errors.map((i) => ['no', i] as const), ...warnings.map((i) => ['warn', i] as const)]
    body.replaceChildren(
      ...(issues.length
        ? [
            section(
              'config',
              `Config: ${errors.length} error(s), ${warnings.length} warning(s)`,
              el(doc, 'ul', {}, ...issues.map(([c, i]) => el(doc, 'li', { class: c }, `${i.path || '(config)'}: ${i.message}`))),
            ),
          ]
        : []),
      ...recorder.records.slice().reverse().map(renderRecord),
    )
    count.textContent = `${recorder.records.length} event(s)`
  }
  let scheduled = false
  const unsubscribe = recorder.subscribe(() => {
    if (scheduled) return
    scheduled = true
    ;(doc.defaultView?.requestAnimationFrame ?? ((f: () => void) => setTimeout(f, 16)))(render)
  })
  render()
  ;(doc.body || doc.documentElement).append(hostEl)
  return {
    element: hostEl,
    close() {
      unsubscribe()
      hostEl.remove()
    },
  }
}
