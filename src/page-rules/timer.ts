import type { ArmRule } from './index'

/** Timer: fires every `interval` ms, `limit` times (no limit: for as long as the page is shown). */
export const armTimer: ArmRule = ({ trigger, settings }, ctx) => {
  // (setTimeout holds at most 2^31 - 1 ms: a longer delay would run at once, over and over.)
  const interval = Math.min(Number(settings.interval), 2 ** 31 - 1)
  const limit = settings.limit === undefined ? Infinity : Number(settings.limit)
  let count = 0
  let handle: unknown
  const tick = () => {
    count++
    ctx.fire(trigger, { count })
    if (count < limit) handle = ctx.clock.setTimeout(tick, interval)
  }
  if (limit > 0) handle = ctx.clock.setTimeout(tick, interval)
  return () => ctx.clock.clearTimeout(handle)
}
