/**
 * The debugger panel's colours and styles. Both themes are palettes of named colours; the style
 * sheet reads them as custom properties, and `CONTRAST` lists which colour is drawn on which, so a
 * test can hold every pair to WCAG 2.2 AA (4.5:1 for text, 3:1 for control borders and focus).
 */

export interface Palette {
  /** The panel's own background, and the text on it. */
  background: string
  text: string
  /** Secondary text: times, counts, reasons. */
  muted: string
  /** Payloads and properties (`pre`). */
  surface: string
  /** The header bar and the collapsed badge. */
  header: string
  /** Buttons, selects and the name field, and their borders. */
  control: string
  controlBorder: string
  /** Outcomes: sent, not sent, notes. */
  ok: string
  failed: string
  warn: string
  /** The focus ring. */
  focus: string
  /** Separators between rows (decorative: no contrast asked). */
  line: string
}

export const LIGHT: Palette = {
  background: '#ffffff',
  text: '#1d2433',
  muted: '#4f5a72',
  surface: '#f2f4f9',
  header: '#e6eaf3',
  control: '#ffffff',
  controlBorder: '#6b7690',
  ok: '#0b6b37',
  failed: '#b3261e',
  warn: '#7a4f00',
  focus: '#0b57d0',
  line: '#d5dbe7',
}

export const DARK: Palette = {
  background: '#151a26',
  text: '#e6e9f2',
  muted: '#a3adc6',
  surface: '#1f2636',
  header: '#222a3d',
  control: '#1b2130',
  controlBorder: '#8a95b0',
  ok: '#5fd08f',
  failed: '#ff8a80',
  warn: '#ffcc66',
  focus: '#8ab4ff',
  line: '#2f3850',
}

/** A colour drawn on another, and the contrast WCAG 2.2 AA asks of the pair. */
export interface ContrastPair {
  foreground: keyof Palette
  background: keyof Palette
  minimum: number
}

const TEXT = 4.5
const NON_TEXT = 3

/** Every pair the style sheet draws (text at 13 px is "normal" text: 4.5:1). */
export const CONTRAST: ContrastPair[] = [
  { foreground: 'text', background: 'background', minimum: TEXT },
  { foreground: 'text', background: 'surface', minimum: TEXT },
  { foreground: 'text', background: 'header', minimum: TEXT },
  { foreground: 'text', background: 'control', minimum: TEXT },
  { foreground: 'muted', background: 'background', minimum: TEXT },
  { foreground: 'muted', background: 'header', minimum: TEXT },
  { foreground: 'muted', background: 'surface', minimum: TEXT },
  { foreground: 'ok', background: 'background', minimum: TEXT },
  { foreground: 'failed', background: 'background', minimum: TEXT },
  { foreground: 'warn', background: 'background', minimum: TEXT },
  { foreground: 'controlBorder', background: 'background', minimum: NON_TEXT },
  { foreground: 'controlBorder', background: 'header', minimum: NON_TEXT },
  { foreground: 'controlBorder', background: 'control', minimum: NON_TEXT },
  { foreground: 'focus', background: 'background', minimum: NON_TEXT },
  { foreground: 'focus', background: 'header', minimum: NON_TEXT },
  { foreground: 'focus', background: 'surface', minimum: NON_TEXT },
  { foreground: 'focus', background: 'control', minimum: NON_TEXT },
]

/** A palette as custom properties (`--text: #1d2433; …`). */
function variables(p: Palette): string {
  return Object.entries(p)
    .map(([name, colour]) => `--${name}: ${colour};`)
    .join(' ')
}

/** Narrower than this, the panel is a sheet docked to the bottom edge. */
export const NARROW_PX = 600

export const CSS = `
:host { all: initial; }
.panel, .badge { ${variables(LIGHT)} font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--text); }
@media (prefers-color-scheme: dark) { .panel, .badge { ${variables(DARK)} } }
.panel { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; box-sizing: border-box; width: min(500px, calc(100vw - 24px));
  height: var(--height, 320px); max-height: calc(100vh - 24px); display: flex; flex-direction: column;
  background: var(--background); border: 1px solid var(--controlBorder); border-radius: 8px; box-shadow: 0 8px 28px rgba(0,0,0,.25); }
.panel[hidden], .badge[hidden] { display: none; }
.grip { flex: none; height: 10px; cursor: ns-resize; display: flex; align-items: center; justify-content: center; touch-action: none;
  background: var(--header); border-radius: 7px 7px 0 0; }
.grip::before { content: ''; width: 40px; height: 4px; border-radius: 2px; background: var(--controlBorder); }
header { flex: none; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 2px 10px 6px; background: var(--header); }
header h2 { font: inherit; font-weight: 700; margin: 0; }
.count { color: var(--muted); flex: 1; }
button, select, input { font: inherit; color: var(--text); background: var(--control); border: 1px solid var(--controlBorder); border-radius: 4px; }
button { cursor: pointer; padding: 2px 10px; min-height: 26px; }
.filters { flex: none; display: flex; flex-wrap: wrap; gap: 6px; padding: 6px 10px; border-bottom: 1px solid var(--line); }
.filters select, .filters input { padding: 2px 4px; min-height: 26px; min-width: 0; }
.filters input { flex: 1 1 120px; }
.filters input::placeholder { color: var(--muted); opacity: 1; }
button:focus-visible, summary:focus-visible, select:focus-visible, input:focus-visible, .grip:focus-visible {
  outline: 2px solid var(--focus); outline-offset: 1px; }
.body { flex: 1 1 auto; min-height: 0; overflow: auto; padding: 4px 10px 10px; }
details { border-top: 1px solid var(--line); padding: 4px 0; }
summary { cursor: pointer; }
.name { font-weight: 700; }
.muted { color: var(--muted); }
.ok { color: var(--ok); }
.failed { color: var(--failed); }
.warn { color: var(--warn); }
pre { margin: 4px 0; padding: 6px; background: var(--surface); border-radius: 4px; overflow: auto; max-height: 220px; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
td { vertical-align: top; padding: 2px 4px; border-bottom: 1px solid var(--line); }
td:first-child { width: 30%; overflow-wrap: anywhere; }
h3 { font: inherit; font-weight: 700; margin: 6px 0 2px; }
ul { margin: 2px 0; padding-left: 16px; }
p { margin: 6px 0; }
.badge { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; padding: 6px 12px; font-weight: 700;
  background: var(--header); border-radius: 16px; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
@media (max-width: ${NARROW_PX}px) {
  .panel { left: 0; right: 0; bottom: 0; width: auto; max-height: calc(100vh - 40px); border-width: 1px 0 0; border-radius: 12px 12px 0 0; }
  .grip { height: 16px; border-radius: 11px 11px 0 0; }
  /* The header keeps to one line on a phone. */
  .wide { display: none; }
  .badge { right: 8px; bottom: 8px; }
}`
