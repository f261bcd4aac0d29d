/**
 * Triggers driven by the page: clicks, form submissions, timers, scroll depth, element
 * visibility and `zaraz.set` values. Loaded as its own chunk, only when a config has such a
 * trigger. Each rule listens, and when it fires sends an internal event for its trigger; the
 * router matches it to the trigger's actions like any other event.
 */
import type { Clock } from '../platform/env'
import type { PageRule } from '../router/page-rule-settings'
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

export function armPageRules(rules: PageRule[], ctx: PageRuleContext): Disarm {
  const disarms = rules.map((rule) => ARM[rule.kind](rule, ctx))
  return () => disarms.forEach((d) => d())
}
