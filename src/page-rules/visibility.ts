import type { ArmRule } from './index'
import { describeElement } from './element'

/**
 * Element visibility: fires once per matching element per page when it enters the viewport
 * (IntersectionObserver). Elements added later are found by a MutationObserver.
 */
export const armVisibility: ArmRule = ({ trigger, settings }, ctx) => {
  const selector = String(settings.selector)
  const { document: doc } = ctx
  const w = ctx.window as Window & typeof globalThis
  if (!w.IntersectionObserver) return () => undefined
  const watched = new WeakSet<Element>()
  const io = new w.IntersectionObserver((entries: IntersectionObserverEntry[]) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue
      io.unobserve(e.target)
      ctx.fire(trigger, { element: describeElement(e.target) })
    }
  })
  const scan = () => {
    for (const el of Array.from(doc.querySelectorAll(selector))) {
      if (watched.has(el)) continue
      watched.add(el)
      io.observe(el)
    }
  }
  scan()
  const mo = w.MutationObserver ? new w.MutationObserver(scan) : undefined
  mo?.observe(doc.documentElement, { childList: true, subtree: true })
  return () => {
    io.disconnect()
    mo?.disconnect()
  }
}
