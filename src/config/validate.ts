import type { ConfigIssue } from '../types/config'
import { compileConfig, type CompileOptions } from './compile'
import { describeIssues } from './messages'
import { configWarnings } from './warnings'
import { secretVariableReads } from './secrets'
import { compileExpression } from '../expressions/index'
import { compileMarkup } from '../autoescape/index'
import { checkPageRule } from '../router/page-rule-settings'
import { checkConsentConfig } from '../consent/settings'
import { isPlainObject } from '../lib/object'

/**
 * Every problem in a config, each with its JSON path: for npm users, tests and tooling. It checks
 * more than the runtime does on every page view (these checks are not in the core): page-rule settings
 * (selectors are checked when a `document` exists, in a browser or passed in; the runtime checks
 * them when the page rules load), consent purposes and bridge mappings (the runtime lets a tool
 * with an unknown purpose wait for consent for ever) and tools that read a `secret` variable (the
 * runtime leaves it empty). It always has the expression engine and the escaper at hand.
 */
export function validateConfig(config: unknown, options: CompileOptions = {}): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const { errors } = compileConfig(config, {
    document: typeof document == 'object' ? document : undefined,
    expression: compileExpression,
    escape: compileMarkup,
    checkPageRule,
    ...options,
  })
  const warnings = configWarnings(config)
  // (The runtime leaves a secret variable empty: only this full check refuses a tool that reads one.)
  errors.push(...secretVariableReads(config))
  // Purposes named by tools and the CMP bridge mappings: errors when consent is on, else warnings.
  // (The runtime does not check them: a tool with an unknown purpose simply never gets consent.)
  const consentOn = isPlainObject(config) && isPlainObject(config.consent) && config.consent.enabled === true
  for (const i of checkConsentConfig(config)) (consentOn ? errors : warnings).push(i)
  return { errors: describeIssues(errors), warnings: describeIssues(warnings) }
}
