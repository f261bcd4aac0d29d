import type { ArmRule } from './index'
import { describeElement } from './element'

/**
 * Form submission: fires when a form matching the selector is submitted. With `validate`, only
 * when the form passes the browser's constraint validation (a `novalidate` form can be submitted
 * invalid; it does not fire then). Field values are never read.
 */
export const armForm: ArmRule = ({ trigger, settings }, ctx) => {
  const selector = String(settings.selector)
  const onSubmit = (event: Event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement) || !form.matches(selector)) return
    if (settings.validate && !form.checkValidity()) return
    ctx.fire(trigger, { element: describeElement(form) })
  }
  ctx.document.addEventListener('submit', onSubmit)
  return () => ctx.document.removeEventListener('submit', onSubmit)
}
