import type { ActionConfig, ConfigIssue, ToolConfig, ZarazConfig } from '../types/config'
import type { Action, Model, Tool } from './model'
import { compileValue, type ExpressionCompiler, type TemplateOptions } from '../router/template'
import { BUILT_IN_TRIGGERS, compileTrigger, type RuleOptions, type Trigger } from '../router/triggers'
import { PAGE_RULE_KINDS, type checkPageRule, type PageRule } from '../router/page-rule-settings'
import { buildIndex } from '../router/index'
import { isPlainObject, isUnsafeKey } from '../lib/object'
import { SECRET_SETTINGS } from '../tools/built-ins'

export interface CompileResult {
  /** `undefined` when the config has errors: the runtime then stays inert. */
  model: Model | undefined
  errors: ConfigIssue[]
  /** Fields that cannot work in a browser, or features this version does not have. */
  warnings: ConfigIssue[]
  /** Some template is more than a path: compile again with the expression engine. */
  needsExpressions: boolean
}

export interface CompileOptions {
  /** The expression engine (the `expressions` chunk); without it, expressions are only noted. */
  expression?: ExpressionCompiler
  /** Used to check CSS selectors and XPath expressions; checks are skipped without one. */
  document?: Document
  /**
   * Checks page-rule settings now (validateConfig does). Without it the settings are kept as
   * written and the `page-rules` chunk checks them when it loads: the core stays smaller.
   */
  checkPageRule?: typeof checkPageRule
}

/** Settings that only mean something at Cloudflare's edge. */
const EDGE_SETTINGS = ['trackPath', 'scriptPath', 'initPath', 'mcRootPath', 'eventsApiPath', 'contextEnricher', 'injectIframes', 'hideIPAddress', 'autoInjectScript']

const AUTO_PAGEVIEW = '__automated_pageview'
const AUTO_TRACK = '__automated_track'

const isAutomated = (a: ActionConfig, type: string, trigger: string) =>
  a.actionType == type && Array.isArray(a.firingTriggers) && a.firingTriggers.length == 1 && a.firingTriggers[0] == trigger

/**
 * Reads a Zaraz configuration in one pass: reports every problem with its JSON path and
 * compiles what the router needs (triggers, templates, automated actions).
 */
export function compileConfig(config: unknown, options: CompileOptions = {}): CompileResult {
  let needsExpressions = false
  const template: TemplateOptions = options.expression
    ? { expression: options.expression }
    : { needsEngine: () => void (needsExpressions = true) }
  const pageRules: PageRule[] = []
  const errors: ConfigIssue[] = []
  const warnings: ConfigIssue[] = []
  const error = (path: string, message: string) => errors.push({ path, message })
  const warning = (path: string, message: string) => warnings.push({ path, message })
  const join = (base: string, p: string) => (p ? (p[0] == '[' ? base + p : `${base}.${p}`) : base)

  if (!isPlainObject(config)) {
    error('', '#notObject ' + (config === null ? 'null' : typeof config))
    return { model: undefined, errors, warnings, needsExpressions }
  }
  const c = config as ZarazConfig
  const section = <T>(key: string): Record<string, T> => {
    const v = c[key]
    if (v === undefined) return {}
    if (!isPlainObject(v)) {
      error(key, '#byId')
      return {}
    }
    return v as Record<string, T>
  }

  // Templates that read the parsed user agent decide whether the parser is loaded at all.
  const text = JSON.stringify(config)
  const needsUserAgent = /user-agent|__includeSystemProperties"\s*:\s*true/.test(text)

  const triggers = new Map<string, Trigger>()
  let currentTrigger = ''
  let pageRulesInTrigger = 0
  const ruleOptions: RuleOptions = {
    template,
    // A page rule matches exactly the events it sends for its own trigger.
    clientRule(rule, report) {
      if (!PAGE_RULE_KINDS.includes(rule.action)) {
        report('action', '#pageRule ' + JSON.stringify(rule.action))
        return () => false
      }
      if (++pageRulesInTrigger > 1) report('action', '#onePageRule')
      const raw = isPlainObject(rule.settings) ? rule.settings : {}
      const settings = options.checkPageRule ? options.checkPageRule(rule.action, raw, (p, m) => report(`settings.${p}`, m), options.document) : raw
      const trigger = currentTrigger
      pageRules.push({ trigger, kind: rule.action, settings })
      return (scope) => scope.client.__zarazClientTriggerId === trigger
    },
  }
  const triggerConfigs = { ...BUILT_IN_TRIGGERS, ...section<ZarazConfig['triggers']>('triggers') } as Record<string, NonNullable<ZarazConfig['triggers']>[string]>
  for (const id of Object.keys(triggerConfigs)) {
    if (isUnsafeKey(id)) continue
    let t = triggerConfigs[id]
    if (!isPlainObject(t)) {
      error(`triggers.${id}`, '#trigger')
      continue
    }
    // An exported pageload trigger may carry no rules of its own.
    if (t.system == 'pageload' && !(Array.isArray(t.loadRules) && t.loadRules.length)) t = { ...t, loadRules: BUILT_IN_TRIGGERS.Pageview.loadRules }
    currentTrigger = id
    pageRulesInTrigger = 0
    triggers.set(id, compileTrigger(id, t, (p, m, soft) => (soft ? warning : error)(join(`triggers.${id}`, p), m), ruleOptions))
  }

  const variables: Model['variables'] = {}
  for (const [id, v] of Object.entries(section<NonNullable<ZarazConfig['variables']>[string]>('variables'))) {
    if (isUnsafeKey(id)) continue
    if (!isPlainObject(v)) {
      error(`variables.${id}`, '#variable')
      continue
    }
    if (v.type == 'worker' || v.type == 'secret') {
      warning(`variables.${id}.type`, `#edgeVariable ${v.type} ${id}`)
      variables[id] = () => ''
      continue
    }
    variables[id] = compileValue(v.value, (p, m) => error(join(`variables.${id}.value`, p), m), template)
  }

  const checkTriggers = (path: string, ids: unknown): string[] => {
    if (ids === undefined) return []
    if (!Array.isArray(ids)) {
      error(path, '#triggerIds')
      return []
    }
    ids.forEach((id, i) => {
      if (!triggers.has(id)) error(`${path}[${i}]`, '#unknownTrigger ' + JSON.stringify(id))
    })
    return ids.filter((id) => triggers.has(id))
  }

  const settings = c.settings === undefined ? {} : isPlainObject(c.settings) ? c.settings : (error('settings', '#object'), {})
  for (const key of EDGE_SETTINGS)
    if (settings[key] !== undefined) warning(`settings.${key}`, '#edgeSetting')

  const tools: Tool[] = []
  for (const [id, raw] of Object.entries(section<ToolConfig>('tools'))) {
    if (isUnsafeKey(id)) continue
    const path = `tools.${id}`
    if (!isPlainObject(raw)) {
      error(path, '#tool')
      continue
    }
    const t = raw as ToolConfig
    if (t.enabled === false) continue
    if (typeof t.component != 'string' || !t.component) {
      error(`${path}.component`, '#component')
      continue
    }
    const blocking = checkTriggers(`${path}.blockingTriggers`, t.blockingTriggers)
    let actionConfigs: Array<[string, ActionConfig]>
    if (t.actions !== undefined) {
      if (!isPlainObject(t.actions)) {
        error(`${path}.actions`, '#actions')
        continue
      }
      actionConfigs = Object.entries(t.actions as Record<string, ActionConfig>)
    } else if (Array.isArray(t.neoEvents)) {
      actionConfigs = t.neoEvents.map((a, i) => [a?.actionId || String(i), a] as [string, ActionConfig])
    } else actionConfigs = []

    const auto = t.automatedActions as Record<string, unknown> | undefined
    let ecommerce = t.settings?.ecommerce === true
    if (auto !== undefined) {
      if (!isPlainObject(auto)) error(`${path}.automatedActions`, '#automated')
      else {
        for (const k of Object.keys(auto))
          if (!['pageview', 'track', 'ecommerce'].includes(k) || typeof auto[k] != 'boolean')
            error(`${path}.automatedActions.${k}`, '#automatedKey')
        const decide = (on: unknown, type: string, trigger: string, autoId: string) => {
          if (typeof on != 'boolean') return
          actionConfigs = actionConfigs.filter(([, a]) => !(isPlainObject(a) && isAutomated(a, type, trigger)))
          if (on) actionConfigs.push([autoId, { actionType: type, firingTriggers: [trigger], data: { __includeEventProperties: true } }])
        }
        decide(auto.pageview, 'pageview', 'Pageview', AUTO_PAGEVIEW)
        decide(auto.track, 'event', 'AllTracks', AUTO_TRACK)
        if (typeof auto.ecommerce == 'boolean') ecommerce = auto.ecommerce
      }
    }

    const actions: Action[] = []
    for (const [actionId, a] of actionConfigs) {
      const ap = `${path}.actions.${actionId}`
      if (!isPlainObject(a)) {
        error(ap, '#action')
        continue
      }
      if (a.enabled === false) continue
      if (typeof a.actionType != 'string' || !a.actionType) {
        error(`${ap}.actionType`, '#actionType')
        continue
      }
      if (a.data !== undefined && !isPlainObject(a.data)) error(`${ap}.data`, '#fields')
      actions.push({
        id: actionId,
        type: a.actionType,
        firing: checkTriggers(`${ap}.firingTriggers`, a.firingTriggers),
        blocking: checkTriggers(`${ap}.blockingTriggers`, a.blockingTriggers),
        fields: compileValue(isPlainObject(a.data) ? a.data : {}, (p, m) => error(join(`${ap}.data`, p), m), template),
      })
    }
    if (t.permissions !== undefined && !(Array.isArray(t.permissions) && t.permissions.every((p) => typeof p == 'string')))
      error(`${path}.permissions`, '#permissions')
    if (t.defaultFields !== undefined && !isPlainObject(t.defaultFields)) error(`${path}.defaultFields`, '#defaultFields')
    if (t.settings !== undefined && !isPlainObject(t.settings)) error(`${path}.settings`, '#object')
    const secrets = SECRET_SETTINGS[t.component] ?? {}
    for (const key of Object.keys(secrets))
      if (isPlainObject(t.settings) && t.settings[key]) error(`${path}.settings.${key}`, `#secret ${t.component} ${key}`)
    if (t.type == 'custom-mc' && !t.component) warning(`${path}.type`, '#customMc')

    tools.push({
      id,
      component: t.component,
      name: typeof t.name == 'string' ? t.name : id,
      settings: isPlainObject(t.settings) ? t.settings : {},
      settingsTemplate: compileValue(isPlainObject(t.settings) ? t.settings : {}, (p, m) => error(join(`${path}.settings`, p), m), template),
      permissions: Array.isArray(t.permissions) ? t.permissions : undefined,
      blocking,
      actions,
      defaultFields: compileValue(isPlainObject(t.defaultFields) ? t.defaultFields : {}, (p, m) => error(join(`${path}.defaultFields`, p), m), template),
      ecommerce,
      purpose: typeof t.defaultPurpose == 'string' && t.defaultPurpose ? t.defaultPurpose : undefined,
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
    cookieDomain: typeof settings.cookieDomain == 'string' ? settings.cookieDomain : undefined,
    historyChange: c.historyChange === true,
    dataLayer: c.dataLayer === true,
    debugKey: typeof c.debugKey == 'string' ? c.debugKey : undefined,
    needsUserAgent,
    pageRules: pageRules.filter((r) => triggers.has(r.trigger)),
    index: buildIndex(tools, triggers),
  }
  return { model: errors.length ? undefined : model, errors, warnings, needsExpressions }
}

