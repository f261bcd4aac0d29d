import type { CompileOptions } from './compile'
import { within, type Report, type TemplateOptions } from '../router/template'
import { BUILT_IN_TRIGGERS, compileTrigger, never, pageRuleMatch, type Trigger } from '../router/triggers'
import { PAGE_RULE_KINDS, type PageRule } from '../router/page-rule-settings'
import { isPlainObject } from '../lib/object'
import { ownEntries } from './read'

/**
 * The config's `triggers` section, with the built-in triggers, compiled by id. The page rules among
 * them go onto `pageRules` (the `page-rules` chunk arms them), their settings checked now when
 * `options` has `checkPageRule`.
 */
export function compileTriggers(section: Record<string, unknown>, error: Report, template: TemplateOptions, options: CompileOptions, pageRules: PageRule[]): Map<string, Trigger> {
  const triggers = new Map<string, Trigger>()
  for (const [trigger, t] of ownEntries({ ...BUILT_IN_TRIGGERS, ...section })) {
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
  return triggers
}
