import { PREFIX } from '../lib/warn'

/**
 * One runtime per page. The first copy of tagrelay marks the window with a registered symbol, the
 * same in every version, before anything else (its config may still be loading); a second copy (a
 * CMS plugin next to a pasted tag, a copy loaded late) then does nothing but warn. A `window.zaraz`
 * that is not the loader stub (whose `q` is an array) is another runtime too: a copy of a version
 * from before the mark, or Zaraz itself.
 */
const MARK = Symbol.for('tagrelay')

/** Claims the page for this copy; false, after one console warning, when another runtime has it. */
export function claimPage(w: Window & { zaraz?: object }): boolean {
  const page = w as unknown as Record<symbol, unknown>
  // (`q`: the loader stub's queue, wire format with the stub: do not rename.)
  if (page[MARK] || (w.zaraz && !Array.isArray((w.zaraz as { q?: unknown }).q))) {
    console.warn(PREFIX, 'loaded twice: this copy does nothing')
    return false
  }
  page[MARK] = true
  return true
}
