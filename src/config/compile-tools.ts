import type { ToolConfig } from '../types/config'
import type { Action, Tool } from './model'
import type { Trigger } from '../router/triggers'
import { within, type Report } from '../router/template'
import { isPlainObject } from '../lib/object'
import { MARKUP_FIELDS } from '../tools/built-ins'
import { findSecrets } from './secrets'
import { str } from '../consent/settings'
import { applyAutomatedActions, type ActionEntries } from './automated-actions'
import { objectAt, triggerIds, type CompileAt, type Markup } from './read'

/** The actions of a tool entry as written: `actions` by id, or an export's `neoEvents` list. */
function actionEntries(t: ToolConfig): ActionEntries {
  if (t.actions) return Object.entries(t.actions)
  if (Array.isArray(t.neoEvents)) return t.neoEvents.map((a, i) => [a?.actionId || '' + i, a])
  return []
}

/** One action of a tool; `undefined` when it is disabled or not valid (reported). */
function compileAction(actionId: string, a: unknown, report: Report, triggers: Map<string, Trigger>, compile: CompileAt, markup: Markup | undefined): Action | undefined {
  const r = within(report, 'actions.' + actionId)
  if (!isPlainObject(a)) {
    r('', '#action')
    return undefined
  }
  if (a.enabled === false) return undefined
  const type = str(a.actionType)
  if (!type) {
    r('actionType')
    return undefined
  }
  const data = objectAt(a.data, r, 'data')
  return {
    id: actionId,
    type,
    firing: triggerIds(triggers, r, 'firingTriggers', a.firingTriggers),
    blocking: triggerIds(triggers, r, 'blockingTriggers', a.blockingTriggers),
    fields: compile(data, r, 'data', markup),
  }
}

/** One entry of the `tools` section compiled, its actions with it; `undefined` when it is disabled or not valid (reported). */
export function compileTool(id: string, raw: unknown, report: Report, triggers: Map<string, Trigger>, compile: CompileAt): Tool | undefined {
  if (!isPlainObject(raw)) {
    report('', '#tool')
    return undefined
  }
  const t = raw as ToolConfig
  // A disabled tool's secret is in the config all the same: every visitor can read it.
  findSecrets(t, report)
  if (t.enabled === false) return undefined
  const component = str(t.component)
  if (!component) {
    report('component')
    return undefined
  }
  const blocking = triggerIds(triggers, report, 'blockingTriggers', t.blockingTriggers)
  // The field written into markup or a URL: its values are escaped, unless the entry opts out.
  const markup = t.autoescape === false ? undefined : MARKUP_FIELDS[component]
  if (t.actions !== undefined && !isPlainObject(t.actions)) {
    report('actions')
    return undefined
  }
  const [actionConfigs, ecommerce] = applyAutomatedActions(t.automatedActions, actionEntries(t), t.settings?.ecommerce === true, report)
  const actions: Action[] = []
  for (const [actionId, a] of actionConfigs) {
    const action = compileAction(actionId, a, report, triggers, compile, markup)
    if (action) actions.push(action)
  }
  if (t.permissions !== undefined && !(Array.isArray(t.permissions) && t.permissions.every((p) => typeof p == 'string'))) report('permissions')
  const defaultFields = objectAt(t.defaultFields, report, 'defaultFields')
  const settings = objectAt(t.settings, report, 'settings')
  return {
    id,
    component,
    name: str(t.name, id),
    settings,
    settingsTemplate: compile(settings, report, 'settings', markup),
    permissions: t.permissions,
    blocking,
    actions,
    defaultFields: compile(defaultFields, report, 'defaultFields', markup),
    ecommerce,
    purpose: str(t.defaultPurpose),
  }
}
