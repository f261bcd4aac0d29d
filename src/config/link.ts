import type { Action, Model, Tool } from './model'
import type { CompileOptions, CompileResult, TemplateSource } from './compile'
import type { MatchOperator } from '../types/config'
import { compileValue, type TemplateOptions } from '../router/template'
import { matchRule, pageRuleMatch, type Trigger } from '../router/triggers'
import { buildIndex } from '../router/index'

/** A match rule as checked at build time (`[match, op, expected]`), or `null` for the trigger's page rule. */
export type RuleSource = [match: string, op: MatchOperator, expected: string] | null

/**
 * A model compiled and checked at build time (`tagrelay build`), as data: each template as what it
 * is compiled from, each trigger as its rules. The site build's core links it (`linkConfig`)
 * instead of compiling the config: no checks, no words of problems, nothing to report.
 */
export interface CompiledConfig extends Omit<Model, 'tools' | 'triggers' | 'variables' | 'index'> {
  tools: Array<
    Omit<Tool, 'settingsTemplate' | 'defaultFields' | 'actions'> & {
      settingsTemplate: TemplateSource
      defaultFields: TemplateSource
      actions: Array<Omit<Action, 'fields'> & { fields: TemplateSource }>
    }
  >
  /** (`key`: `null` for none, as JSON writes it.) */
  triggers: Array<[id: string, load: RuleSource[], exclude: RuleSource[], key: string | null]>
  variables: Record<string, TemplateSource>
}

/** Nothing is reported: the config was checked when it was built. */
const checked = () => undefined

/** The model of a config compiled at build time, with the expression engine and the escaper of `options` (as `compileConfig` takes them). */
export function linkConfig(config: CompiledConfig, options: CompileOptions = {}): CompileResult {
  let needsExpressions = false
  let needsEscaper = false
  const template: TemplateOptions = {
    ...options,
    needsEngine: () => {
      needsExpressions = true
    },
    needsEscaper: () => {
      needsEscaper = true
    },
  }
  const link = ([value, markup]: TemplateSource) => compileValue(value, checked, template, markup)
  const rules = (trigger: string, list: RuleSource[]) => list.map((r) => (r ? matchRule(r[0], r[1], r[2], template) : pageRuleMatch(trigger)))
  const triggers = new Map<string, Trigger>()
  for (const [id, load, exclude, key] of config.triggers) triggers.set(id, { id, load: rules(id, load), exclude: rules(id, exclude), key: key ?? undefined })
  const tools: Tool[] = config.tools.map((t) => ({
    ...t,
    // (A copy: the runtime resolves a tool's settings in place.)
    settings: { ...t.settings },
    settingsTemplate: link(t.settingsTemplate),
    defaultFields: link(t.defaultFields),
    actions: t.actions.map((a) => ({ ...a, fields: link(a.fields) })),
  }))
  const variables: Model['variables'] = {}
  for (const id of Object.keys(config.variables)) variables[id] = link(config.variables[id])
  const model: Model = { ...config, tools, triggers, variables, index: buildIndex(tools, triggers) }
  return { model, errors: [], needsExpressions, needsEscaper }
}
