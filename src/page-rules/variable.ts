import type { ArmRule } from './index'

/**
 * Variable match: fires when `zaraz.set(variable, value)` gives the key a value whose text equals
 * `match` (objects compare as JSON). Setting the same value again fires again.
 */
export const armVariable: ArmRule = ({ trigger, settings }, ctx) => {
  let armed = true
  ctx.onSet((key, value) => {
    if (!armed || key !== settings.variable || value === undefined) return
    const text = typeof value == 'object' && value !== null ? JSON.stringify(value) : String(value)
    if (text === settings.match) ctx.fire(trigger, { variable: key, value })
  })
  return () => {
    armed = false
  }
}
