import type { ActionConfig, ConfigIssue, ToolConfig, ZarazConfig } from '../types/config'
import type { Action, Model, Tool } from './model'
import { compileValue, within, type ExpressionCompiler, type MarkupCompiler, type Report, type Template, type TemplateOptions } from '../router/template'
import { BUILT_IN_TRIGGERS, compileTrigger, never, pageRuleMatch, type Trigger } from '../router/triggers'
import { PAGE_RULE_KINDS, type checkPageRule, type PageRule } from '../router/page-rule-settings'
import { buildIndex } from '../router/index'
import { isPlainObject, isUnsafeKey } from '../lib/object'
import { MARKUP_FIELDS } from '../tools/built-ins'
import { findSecrets } from './secrets'
import { str } from '../consent/settings'

export interface CompileResult {
  /** `undefined` when the config has errors: the runtime then stays inert. */
  model: Model | undefined
  errors: ConfigIssue[]
  /** Some template is more than a path: compile again with the expression engine. */
  needsExpressions: boolean
  /** Some template written into markup or a URL has holes: compile again with the escaper. */
  needsEscaper?: boolean
}

export interface CompileOptions {
  /** The expression engine (the `expressions` chunk); without it, expressions are only noted. */
  expression?: ExpressionCompiler
  /** Escapes values written into markup or URLs (the `autoescape` chunk); without it, such fields are empty and only noted. */
  escape?: MarkupCompiler
  /** Used to check CSS selectors and XPath expressions; checks are skipped without one. */
  document?: Document
  /**
   * Checks page-rule settings now (validateConfig does). Without it the settings are kept as
   * written and the `page-rules` chunk checks them when it loads: the core stays smaller.
   */
  checkPageRule?: typeof checkPageRule
  /** Receives each template compiled with what it was compiled from (`tagrelay build` writes them into a site build: src/config/link.ts). */
  sources?: Map<Template, TemplateSource>
}

/** What a template of the model is compiled from: the value, and its markup field when it has one. */
export type TemplateSource = [value: unknown, markup?: (typeof MARKUP_FIELDS)[string]]

type Obj = Record<string, unknown>

/** The shorthand `automatedActions` keys that stand for an action: key, listener, firing trigger. */
const AUTOMATED = [
  ['pageview', 'pageview', 'Pageview'],
  ['track', 'event', 'AllTracks'],
]

/** The data of Zaraz's automated actions (REFERENCE.md; a pageview's has no `en`). */
const AUTOMATED_DATA: Obj = { __enrichPayload: 'client', en: '{{ client.__zarazTrack }}' }

/** An exported action that is the automated one: its listener and trigger, and no data of its own (its display name aside). */
const isAutomated = (a: ActionConfig | undefined, type: string, trigger: string) =>
  a?.actionType == type &&
  JSON.stringify(a.firingTriggers) == `["${trigger}"]` &&
  Object.entries(a.data ?? {}).every(([k, v]) => k == '__zaraz_setting_name' || AUTOMATED_DATA[k] === v)

/**
 * Reads a Zaraz configuration in one pass: reports every problem with its JSON path and
 * compiles what the router needs (triggers, templates, automated actions). With any error the
 * model is dropped, so what is built after one only has to not throw. (Warnings, which change
 * nothing, are found by `configWarnings`, outside the core.)
 */
export function compileConfig(config: unknown, options: CompileOptions = {}): CompileResult {
  let needsExpressions = false
  let needsEscaper = false
  // The options' expression engine and escaper; without them an expression or a markup field's hole is only noted.
  const template: TemplateOptions = {
    ...options,
    needsEngine() {
      needsExpressions = true
    },
    needsEscaper() {
      needsEscaper = true
    },
  }
  const pageRules: PageRule[] = []
  const errors: ConfigIssue[] = []
  // A problem at a path; the message is `#` and the key unless said.
  const error: Report = (path, message = '#' + path) => void errors.push({ path, message })
  // `v` when it is an object; else the error `#key` at `key` (unless `v` is absent) and `{}`.
  const obj = (v: unknown, report: Report, key: string): Obj => (isPlainObject(v) ? v : (v !== undefined && report(key), {}))
  const compile = (v: unknown, report: Report, key: string, markup?: (typeof MARKUP_FIELDS)[string]) => {
    const compiled = compileValue(v, within(report, key), template, markup)
    options.sources?.set(compiled, [v, markup])
    return compiled
  }
  // Own entries of a section, without the one key that could not be set.
  const entries = (v: Obj) => Object.entries(v).filter(([k]) => !isUnsafeKey(k))

  // Not an object: one error, and an empty config is read so that the rest stays simple.
  const c: ZarazConfig = isPlainObject(config) ? config : (error('', '#notObject ' + (config === null ? 'null' : typeof config)), {})
  const section = (key: string) => entries(obj(c[key], error, key))

  const triggers = new Map<string, Trigger>()
  for (const [trigger, t] of entries({ ...BUILT_IN_TRIGGERS, ...obj(c.triggers, error, 'triggers') })) {
    const report = within(error, 'triggers.' + trigger)
    if (!isPlainObject(t)) {
      report('', '#trigger')
      continue
    }
    // An exported pageload trigger may carry no rules of its own.
    const rules = t.system == 'pageload' && !(Array.isArray(t.loadRules) && t.loadRules.length) ? { ...t, loadRules: BUILT_IN_TRIGGERS.Pageview.loadRules } : t
    // A page rule matches exactly the events it sends for its own trigger.
    triggers.set(trigger, compileTrigger(trigger, rules, report, {
      template,
      clientRule({ action: kind, settings }, report) {
        if (!PAGE_RULE_KINDS.includes(kind)) {
          report('action', '#pageRule ' + JSON.stringify(kind))
          return never
        }
        if (pageRules.some((r) => r.trigger == trigger)) report('action', '#onePageRule')
        const raw = isPlainObject(settings) ? settings : {}
        const check = options.checkPageRule
        pageRules.push({ trigger, kind, settings: check ? check(kind, raw, within(report, 'settings'), options.document) : raw })
        return pageRuleMatch(trigger)
      },
    }))
  }

  const variables: Model['variables'] = {}
  for (const [id, v] of section('variables')) {
    const report = within(error, 'variables.' + id)
    if (!isPlainObject(v)) report('', '#variable')
    // `worker` and `secret` variables only exist at Cloudflare's edge.
    else variables[id] = v.type == 'worker' || v.type == 'secret' ? () => '' : compile(v.value, report, 'value')
  }

  // Trigger ids: unknown ones are errors (and then the model is not used).
  const checkTriggers = (report: Report, key: string, ids: unknown = []): string[] => {
    if (!Array.isArray(ids)) return report(key, '#triggerIds'), []
    ids.forEach((id, i) => triggers.has(id) || report(`${key}[${i}]`, '#unknownTrigger ' + JSON.stringify(id)))
    return ids
  }

  const settings = obj(c.settings, error, 'settings')
  const tools: Tool[] = []
  for (const [id, raw] of section('tools')) {
    const report = within(error, 'tools.' + id)
    if (!isPlainObject(raw)) {
      report('', '#tool')
      continue
    }
    const t = raw as ToolConfig
    // A disabled tool's secret is in the config all the same: every visitor can read it.
    findSecrets(t, report)
    if (t.enabled === false) continue
    const component = str(t.component)
    if (!component) {
      report('component')
      continue
    }
    const blocking = checkTriggers(report, 'blockingTriggers', t.blockingTriggers)
    // The field written into markup or a URL: its values are escaped, unless the entry opts out.
    const markup = t.autoescape === false ? undefined : MARKUP_FIELDS[component]
    if (t.actions !== undefined && !isPlainObject(t.actions)) {
      report('actions')
      continue
    }
    let actionConfigs: Array<[string, ActionConfig]> = t.actions
      ? Object.entries(t.actions)
      : Array.isArray(t.neoEvents)
        ? t.neoEvents.map((a, i) => [a?.actionId || '' + i, a])
        : []

    let ecommerce = t.settings?.ecommerce === true
    const auto = t.automatedActions as Obj | undefined
    if (auto !== undefined) {
      if (!isPlainObject(auto)) report('automatedActions')
      else {
        for (const k of Object.keys(auto))
          if (!['pageview', 'track', 'ecommerce'].includes(k) || typeof auto[k] != 'boolean') report('automatedActions.' + k, '#automatedKey')
        // A present key decides its action: the exported automated one goes (an action with data of its own stays); `true` adds it.
        for (const [key, type, trigger] of AUTOMATED)
          if (auto[key] !== undefined) {
            actionConfigs = actionConfigs.filter(([, a]) => !isAutomated(a, type, trigger))
            if (auto[key]) actionConfigs.push(['__automated_' + key, { actionType: type, firingTriggers: [trigger], data: { __includeEventProperties: true } }])
          }
        ecommerce = (auto.ecommerce ?? ecommerce) as boolean
      }
    }

    const actions: Action[] = []
    for (const [actionId, a] of actionConfigs) {
      const r = within(report, 'actions.' + actionId)
      if (!isPlainObject(a)) {
        r('', '#action')
        continue
      }
      if (a.enabled === false) continue
      const type = str(a.actionType)
      if (!type) {
        r('actionType')
        continue
      }
      const data = obj(a.data, r, 'data')
      actions.push({
        id: actionId,
        type,
        firing: checkTriggers(r, 'firingTriggers', a.firingTriggers),
        blocking: checkTriggers(r, 'blockingTriggers', a.blockingTriggers),
        fields: compile(data, r, 'data', markup),
      })
    }
    if (t.permissions !== undefined && !(Array.isArray(t.permissions) && t.permissions.every((p) => typeof p == 'string')))
      report('permissions')
    const defaultFields = obj(t.defaultFields, report, 'defaultFields')
    const toolSettings = obj(t.settings, report, 'settings')

    tools.push({
      id,
      component,
      name: str(t.name, id),
      settings: toolSettings,
      settingsTemplate: compile(toolSettings, report, 'settings', markup),
      permissions: t.permissions,
      blocking,
      actions,
      defaultFields: compile(defaultFields, report, 'defaultFields', markup),
      ecommerce,
      purpose: str(t.defaultPurpose),
    })
  }

  const model: Model = {
    tools,
    triggers,
    variables,
    ecommerce: settings.ecommerce === true,
    privacy: {
      hideQueryParams: settings.hideQueryParams === true,
      hideExternalReferer: settings.hideExternalReferer === true,
      hideUserAgent: settings.hideUserAgent === true,
    },
    // '' (as an export without one has it) is no domain: the registrable one, as for the consent cookie.
    cookieDomain: str(settings.cookieDomain),
    // Templates that read the parsed user agent decide whether the parser is loaded at all
    // (JSON.stringify puts no space around `:`; `"true"` counts as `true`, as in the payload).
    needsUserAgent: /user-agent|__includeSystemProperties":"?true/.test(JSON.stringify(c)),
    pageRules,
    index: buildIndex(tools, triggers),
  }
  return { model: errors.length ? undefined : model, errors, needsExpressions, needsEscaper }
}
