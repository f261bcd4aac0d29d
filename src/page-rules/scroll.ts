import type { ArmRule } from './index'

/**
 * Scroll depth: each position (`25%` of the page's height, or `800px`) fires once per page, when
 * the bottom of the viewport reaches it. Checked at most every 200 ms while scrolling, and once
 * when armed (a short page is already scrolled to its end).
 */
export const armScroll: ArmRule = ({ trigger, settings }, ctx) => {
  const pending = [...(settings.positions as Array<{ value: number; unit: '%' | 'px'; label: string }>)]
  const { window: w, document: doc } = ctx
  let scheduled = false
  let handle: unknown
  const check = () => {
    scheduled = false
    const root = doc.documentElement
    const bottom = (w.scrollY || root.scrollTop) + w.innerHeight
    const height = Math.max(root.scrollHeight, doc.body?.scrollHeight ?? 0)
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i]
      const reached = p.unit == 'px' ? bottom >= p.value : height > 0 && (bottom / height) * 100 >= p.value
      if (!reached) continue
      pending.splice(i--, 1)
      ctx.fire(trigger, { position: p.label })
    }
    if (!pending.length) stop()
  }
  const onScroll = () => {
    if (scheduled) return
    scheduled = true
    handle = ctx.clock.setTimeout(check, 200)
  }
  const stop = () => w.removeEventListener('scroll', onScroll)
  w.addEventListener('scroll', onScroll, { passive: true })
  check()
  // Disarmed (the next SPA page): a check already scheduled must not fire for this page either.
  return () => {
    stop()
    ctx.clock.clearTimeout(handle)
  }
}
