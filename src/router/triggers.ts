import type { ClientRule, MatchOperator, TriggerConfig, TriggerRule } from '../types/config'
import { compileTemplate, text, within, type Report, type Template, type TemplateOptions, type TemplateScope } from './template'

export type { Report }


/**
 * A compiled rule: true when it matches the event in `scope`. A match rule keeps what it compares
 * in `why` (`[match, op, expected, template]`), for debug mode to explain it.
 */
export type Rule = ((scope: TemplateScope) => boolean) & { why?: [string, MatchOperator, string, Template] }

export interface Trigger {
  id: string
  load: Rule[]
  exclude: Rule[]
  /**
   * The only event this trigger can fire for, when a load rule pins it (`{{ client.__zarazTrack }}`
   * EQUALS a name, or a page rule): the router's index skips it for every other event.
   */
  key: string | undefined
}

/** The name of the events page rules send (a click, a timer...); never an "other event" (AllTracks). */
export const PAGE_RULE_EVENT = '__zarazClientTrigger'
export const pageRuleKey = (trigger: string) => `${PAGE_RULE_EVENT}:${trigger}`

const NAME_TEMPLATE = /^\{\{\s*client\.__zarazTrack\s*\}\}$/

/** Compiles a rule driven by the page (click, timer...): the config compiler records it for the `page-rules` chunk. */
export type ClientRuleCompiler = (rule: ClientRule, report: Report) => Rule

/** Where templates go: the expression engine when loaded, or a note that one is needed. */
export interface RuleOptions {
  clientRule: ClientRuleCompiler
  template?: TemplateOptions
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s))

/**
 * A regular expression sees at most the first 1,000 characters of the value (as GA4 keeps of a
 * page URL): a pattern that backtracks badly stays bounded on text the visitor controls.
 */
export const REGEX_TEXT_MAX = 1000
const regexMatches = (r: RegExp, a: string) => r.test(a.slice(0, REGEX_TEXT_MAX))

/**
 * Compares as text, case-sensitively, the way Zaraz does. The four ordering operators compare
 * numbers and never match when either side is not a number (NaN compares false).
 */
const COMPARE: Record<MatchOperator, (actual: string, expected: string, regex: RegExp) => boolean> = {
  EQUALS: (a, b) => a === b,
  CONTAINS: (a, b) => a.includes(b),
  STARTS_WITH: (a, b) => a.startsWith(b),
  ENDS_WITH: (a, b) => a.endsWith(b),
  MATCH_REGEX: (a, _, r) => regexMatches(r, a),
  NOT_MATCH_REGEX: (a, _, r) => !regexMatches(r, a),
  GREATER_THAN: (a, b) => num(a) > num(b),
  GREATER_THAN_OR_EQUAL: (a, b) => num(a) >= num(b),
  LESS_THAN: (a, b) => num(a) < num(b),
  LESS_THAN_OR_EQUAL: (a, b) => num(a) <= num(b),
}

export const OPERATORS = Object.keys(COMPARE) as readonly MatchOperator[]

/** A rule that did not compile (the config is then invalid), or an unknown page rule. */
export const never: Rule = () => false

export function compileRule(rule: TriggerRule, report: Report, options: RuleOptions): Rule {
  if (!rule || typeof rule != 'object') {
    report('', '#rule')
    return never
  }
  if ((rule as ClientRule).action) return options.clientRule(rule as ClientRule, report)
  const { match, op, value } = rule as { match?: unknown; op: MatchOperator; value?: unknown }
  if (typeof match != 'string') {
    report('match')
    return never
  }
  if (!OPERATORS.includes(op)) {
    report('op', '#operator ' + JSON.stringify(op))
    return never
  }
  const expected = text(value)
  let regex: RegExp
  if (op.endsWith('REGEX'))
    try {
      regex = new RegExp(expected)
    } catch (e) {
      report('value', `#regex ${JSON.stringify(expected)}: ${(e as Error).message}`)
      return never
    }
  return matchRule(match, op, expected, options.template, (m) => report('match', m), regex!)
}

/**
 * The rule that compares `match`'s value with `expected`, once checked (by `compileRule`, or at
 * build time for a site build: src/config/link.ts).
 */
export function matchRule(match: string, op: MatchOperator, expected: string, options?: TemplateOptions, onError: (message: string) => void = () => undefined, regex = op.endsWith('REGEX') ? new RegExp(expected) : undefined): Rule {
  const template = compileTemplate(match, onError, options)
  const compare = COMPARE[op]
  const r: Rule = (scope) => compare(text(template(scope)), expected, regex!)
  r.why = [match, op, expected, template]
  return r
}

/** A page rule's match: exactly the events it sends for its own trigger. */
export const pageRuleMatch =
  (trigger: string): Rule =>
  (scope) =>
    scope.client.__zarazClientTriggerId === trigger

export function compileTrigger(id: string, config: TriggerConfig, report: Report, options: RuleOptions): Trigger {
  const rules = (key: 'loadRules' | 'excludeRules') => {
    const list = config[key]
    if (list === undefined) return []
    if (!Array.isArray(list)) {
      report(key, '#rules')
      return []
    }
    return list.map((r, i) => compileRule(r, within(report, `${key}[${i}]`), options))
  }
  const load = rules('loadRules')
  let key: string | undefined
  // (A rule without `why` is a page rule: a rule that did not compile made the config invalid.)
  for (const { why } of load)
    if (!why) key = pageRuleKey(id)
    else if (why[1] == 'EQUALS' && NAME_TEMPLATE.test(why[0].trim())) key ??= why[2]
  return { id, load, exclude: rules('excludeRules'), key }
}

/** All load rules match and no exclude rule does. A trigger without load rules never fires. */
export const triggerMatches = (t: Trigger, scope: TemplateScope) =>
  t.load.length > 0 && t.load.every((r) => r(scope)) && !t.exclude.some((r) => r(scope))

/** The two system triggers, present even when the config leaves them out. */
export const BUILT_IN_TRIGGERS: Record<string, TriggerConfig> = {
  Pageview: {
    loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'Pageview' }],
  },
  AllTracks: {
    loadRules: [
      { match: '{{ client.__zarazTrack }}', op: 'NOT_MATCH_REGEX', value: '^__zaraz.*' },
      { match: '{{ client.__zarazEcommerce }}', op: 'NOT_MATCH_REGEX', value: 'true' },
      { match: '{{ client.__zarazTrack }}', op: 'NOT_MATCH_REGEX', value: '^Pageview$' },
    ],
  },
}
