/**
 * The panel's height, set by dragging its grip or, with the grip focused, by the keyboard (arrows:
 * a step, Page Up / Page Down: a larger one, Home / End: the smallest / the tallest). The grip is
 * a focusable separator that says the height to screen readers.
 */
const MIN_PX = 120
const STEP_PX = 24
const PAGE_PX = 120
/** Room kept above the panel at its tallest. */
const MARGIN_PX = 40

export interface Resizable {
  /** The height in pixels now. */
  height(): number
}

export function makeResizable(grip: HTMLElement, panel: HTMLElement, win: Window, initial: number): Resizable {
  let height = initial
  const tallest = () => Math.max(MIN_PX, win.innerHeight - MARGIN_PX)
  const apply = (px: number) => {
    height = Math.round(Math.min(tallest(), Math.max(MIN_PX, px)))
    // Through the CSSOM, which a CSP without 'unsafe-inline' allows (a style attribute it would not).
    panel.style.setProperty('--height', `${height}px`)
    grip.setAttribute('aria-valuenow', String(height))
    grip.setAttribute('aria-valuemax', String(tallest()))
    grip.setAttribute('aria-valuetext', `${height} pixels high`)
  }
  grip.setAttribute('role', 'separator')
  grip.setAttribute('tabindex', '0')
  grip.setAttribute('aria-orientation', 'horizontal')
  grip.setAttribute('aria-label', 'Resize the debugger (arrow keys)')
  grip.setAttribute('aria-valuemin', String(MIN_PX))
  apply(height)

  const keys: Record<string, () => number> = {
    ArrowUp: () => height + STEP_PX,
    ArrowDown: () => height - STEP_PX,
    PageUp: () => height + PAGE_PX,
    PageDown: () => height - PAGE_PX,
    Home: () => MIN_PX,
    End: () => tallest(),
  }
  grip.addEventListener('keydown', (e) => {
    const next = keys[e.key]
    if (!next) return
    e.preventDefault()
    apply(next())
  })

  // A drag: the panel's top edge follows the pointer.
  /** Where the drag started: the pointer's `clientY` and the panel's height then. */
  let start: { pointerY: number; height: number } | undefined
  grip.addEventListener('pointerdown', (e) => {
    start = { pointerY: e.clientY, height }
    grip.setPointerCapture?.(e.pointerId)
    e.preventDefault()
  })
  grip.addEventListener('pointermove', (e) => {
    if (start) apply(start.height + start.pointerY - e.clientY)
  })
  const end = () => {
    start = undefined
  }
  grip.addEventListener('pointerup', end)
  grip.addEventListener('pointercancel', end)

  return { height: () => height }
}
