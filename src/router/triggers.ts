import type { ClientRule, MatchOperator, TriggerConfig, TriggerRule } from '../types/config'
import { compileTemplate, type Template, type TemplateOptions, type TemplateScope } from './template'

export const OPERATORS: readonly MatchOperator[] = [
  'EQUALS',
  'CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'MATCH_REGEX',
  'NOT_MATCH_REGEX',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
]

/** Reports a problem at a path inside the rule; `soft` problems are warnings, not errors. */
export type Report = (path: string, message: string, soft?: boolean) => void

/** A compiled rule: true when it matches the event in `scope`. `why` says what it compared (debug mode). */
export type Rule = ((scope: TemplateScope) => boolean) & { why?: (scope: TemplateScope) => string }

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
 * Compares as text, case-sensitively, the way Zaraz does. The four ordering operators compare
 * numbers and never match when either side is not a number.
 */
function compare(op: MatchOperator, actual: string, expected: string, regex: RegExp | undefined): boolean {
  switch (op) {
    case 'EQUALS':
      return actual === expected
    case 'CONTAINS':
      return actual.includes(expected)
    case 'STARTS_WITH':
      return actual.startsWith(expected)
    case 'ENDS_WITH':
      return actual.endsWith(expected)
    case 'MATCH_REGEX':
      return regex!.test(actual)
    case 'NOT_MATCH_REGEX':
      return !regex!.test(actual)
  }
  const a = num(actual)
  const b = num(expected)
  if (a !== a || b !== b) return false
  return op == 'GREATER_THAN' ? a > b : op == 'GREATER_THAN_OR_EQUAL' ? a >= b : op == 'LESS_THAN' ? a < b : a <= b
}

const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v == 'object' ? JSON.stringify(v) : String(v))

export function compileRule(rule: TriggerRule, report: Report, options: RuleOptions): Rule {
  const never: Rule = () => false
  if (!rule || typeof rule != 'object') {
    report('', '#rule')
    return never
  }
  if ('action' in rule && rule.action) return options.clientRule(rule, report)
  const { match, op, value } = rule as { match?: unknown; op?: unknown; value?: unknown }
  if (typeof match != 'string') {
    report('match', '#match')
    return never
  }
  if (!OPERATORS.includes(op as MatchOperator)) {
    report('op', '#operator ' + JSON.stringify(op))
    return never
  }
  const expected = asText(value)
  let regex: RegExp | undefined
  if (op == 'MATCH_REGEX' || op == 'NOT_MATCH_REGEX') {
    try {
      regex = new RegExp(expected)
    } catch (e) {
      report('value', `#regex ${JSON.stringify(expected)}: ${(e as Error).message}`)
      return never
    }
  }
  const template: Template = compileTemplate(match, (m) => report('match', m), options.template)
  const r: Rule = (scope) => compare(op as MatchOperator, asText(template(scope)), expected, regex)
  r.why = (scope) => `${match} ${op} ${JSON.stringify(expected)} (the value was ${JSON.stringify(asText(template(scope)))})`
  return r
}

/** Why a trigger did not fire for this event (debug mode): its first load rule that failed, or the exclude rule that matched. */
export function whyNot(t: Trigger, scope: TemplateScope): string {
  if (!t.load.length) return `trigger "${t.id}" has no load rules`
  const failed = t.load.find((r) => !r(scope))
  if (failed) return `trigger "${t.id}": ${failed.why ? failed.why(scope) + ' did not match' : 'its page rule was not what sent this event'}`
  const excluded = t.exclude.find((r) => r(scope))
  return `trigger "${t.id}" is excluded: ${excluded?.why ? excluded.why(scope) + ' matched' : 'an exclude rule matched'}`
}

export function compileTrigger(id: string, config: TriggerConfig, report: Report, options: RuleOptions): Trigger {
  const rules = (key: 'loadRules' | 'excludeRules') => {
    const list = config[key]
    if (list === undefined) return []
    if (!Array.isArray(list)) {
      report(key, '#rules')
      return []
    }
    return list.map((r, i) => compileRule(r, (p, m, soft) => report(`${key}[${i}]${p ? '.' + p : ''}`, m, soft), options))
  }
  let key: string | undefined
  for (const r of Array.isArray(config.loadRules) ? config.loadRules : []) {
    if (!r || typeof r != 'object') continue
    if ('action' in r && r.action) key = pageRuleKey(id)
    else if ('op' in r && r.op == 'EQUALS' && typeof r.match == 'string' && NAME_TEMPLATE.test(r.match.trim())) key ??= String(r.value)
  }
  return { id, load: rules('loadRules'), exclude: rules('excludeRules'), key }
}

/** All load rules match and no exclude rule does. A trigger without load rules never fires. */
export const triggerMatches = (t: Trigger, scope: TemplateScope) =>
  t.load.length > 0 && t.load.every((r) => r(scope)) && !t.exclude.some((r) => r(scope))

/** The two system triggers, present even when the config leaves them out. */
export const BUILT_IN_TRIGGERS: Record<string, TriggerConfig> = {
  Pageview: {
    name: 'Pageview',
    system: 'pageload',
    loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'Pageview' }],
  },
  AllTracks: {
    name: 'All tracks',
    loadRules: [
      { match: '{{ client.__zarazTrack }}', op: 'NOT_MATCH_REGEX', value: '^__zaraz.*' },
      { match: '{{ client.__zarazEcommerce }}', op: 'NOT_MATCH_REGEX', value: 'true' },
      { match: '{{ client.__zarazTrack }}', op: 'NOT_MATCH_REGEX', value: '^Pageview$' },
    ],
  },
}
