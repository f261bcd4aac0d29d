/**
 * Triggers driven by the page: clicks, form submissions, timers, scroll depth, element
 * visibility and `zaraz.set` values. Loaded as its own chunk, only when a config has such a
 * trigger. Each rule listens, and when it fires sends an internal event for its trigger; the
 * router matches it to the trigger's actions like any other event.
 */
import type { Clock } from '../platform/env'
import { checkPageRule, type PageRule } from '../router/page-rule-settings'
import { armClick } from './click'
import { armForm } from './form'
import { armTimer } from './timer'
import { armScroll } from './scroll'
import { armVisibility } from './visibility'
import { armVariable } from './variable'

export interface PageRuleContext {
  window: Window
  document: Document
  clock: Clock
  /** Sends the internal event of `trigger` with these properties; resolves when tools handled it. */
  fire(trigger: string, properties: Record<string, unknown>): Promise<unknown>
  /** Calls `fn` after every `zaraz.set`. */
  onSet(fn: (key: string, value: unknown) => void): void
  /** A rule whose settings are wrong is not armed; this says why (console.error). */
  error?(message: string): void
}

/** Stops a rule from listening (an SPA navigation re-arms rules). */
export type Disarm = () => void

export type ArmRule = (rule: PageRule, ctx: PageRuleContext) => Disarm

const ARM: Record<PageRule['kind'], ArmRule> = {
  clickListener: armClick,
  formSubmission: armForm,
  timer: armTimer,
  scrollDepth: armScroll,
  elementVisibility: armVisibility,
  variableMatch: armVariable,
}

/**
 * Arms every rule. Settings are checked here, not in the core: a rule with a bad selector or
 * number is reported with its path and not armed (`validateConfig` reports the same beforehand).
 */
export function armPageRules(rules: PageRule[], ctx: PageRuleContext): Disarm {
  const disarms: Disarm[] = []
  for (const rule of rules) {
    const problems: string[] = []
    const settings = checkPageRule(rule.kind, rule.settings, (p, m) => problems.push(`triggers.${rule.trigger}: ${rule.kind} settings.${p}: ${m}`), ctx.document)
    if (problems.length) ctx.error?.(problems.join('\n') + '\n(the trigger never fires)')
    else disarms.push(ARM[rule.kind]({ ...rule, settings }, ctx))
  }
  return () => disarms.forEach((d) => d())
}

/** Arms every rule now, and returns what re-arms them (for an SPA's next page). */
export function startPageRules(rules: PageRule[], ctx: PageRuleContext): () => void {
  // One `zaraz.set` listener for every page: the store cannot drop listeners, so each page's
  // variable rules listen here instead, and are forgotten with their page.
  let onSet: Array<(key: string, value: unknown) => void> = []
  ctx.onSet((k, v) => onSet.forEach((fn) => fn(k, v)))
  const arm = () =>
    armPageRules(rules, {
      ...ctx,
      onSet: (fn) => {
        onSet.push(fn)
      },
    })
  let disarm = arm()
  return () => {
    disarm()
    onSet = []
    disarm = arm()
  }
}
