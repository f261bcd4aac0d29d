import type { ConfigIssue } from '../types/config'
import { isPlainObject, isUnsafeKey } from '../lib/object'
import { riskyRepetition } from './backtracking'
import { REGEX_TEXT_MAX } from '../router/triggers'

/** Settings that only mean something at Cloudflare's edge. */
const EDGE_SETTINGS = ['trackPath', 'scriptPath', 'initPath', 'mcRootPath', 'eventsApiPath', 'contextEnricher', 'injectIframes', 'hideIPAddress', 'autoInjectScript']

/**
 * What a config holds that cannot work in a browser: edge-only settings and `worker` / `secret`
 * variables (the compiler makes those empty); tools that insert template values raw; and regular
 * expressions in triggers that can backtrack catastrophically on what a visitor sends. Warnings
 * change nothing, so the core never looks for them: they are found here, by `validateConfig` and
 * by the debugger (debug mode only).
 */
export function configWarnings(config: unknown): ConfigIssue[] {
  const warnings: ConfigIssue[] = []
  if (!isPlainObject(config)) return warnings
  const { variables, settings, tools, triggers } = config
  if (isPlainObject(variables))
    for (const id of Object.keys(variables)) {
      const v = variables[id]
      if (!isUnsafeKey(id) && isPlainObject(v) && (v.type == 'worker' || v.type == 'secret'))
        warnings.push({ path: `variables.${id}.type`, message: `${v.type} variables only exist at Cloudflare's edge; {{ variables.${id} }} is empty here` })
    }
  // The raw opt-in is the config's choice; it is said, since it lets visitor input run as script.
  if (isPlainObject(tools))
    for (const id of Object.keys(tools)) {
      const t = tools[id]
      if (!isUnsafeKey(id) && isPlainObject(t) && t.autoescape === false)
        warnings.push({ path: `tools.${id}.autoescape`, message: 'template values in htmlCode and imgSrc are inserted raw: a value a visitor can set runs as script (docs/tools/custom-html.md)' })
    }
  if (isPlainObject(settings))
    for (const key of EDGE_SETTINGS)
      if (settings[key] !== undefined) warnings.push({ path: `settings.${key}`, message: "only meaningful at Cloudflare's edge; ignored in the browser" })
  if (isPlainObject(triggers))
    for (const id of Object.keys(triggers)) {
      const t = triggers[id]
      if (!isUnsafeKey(id) && isPlainObject(t))
        for (const key of ['loadRules', 'excludeRules'] as const) {
          const rules = t[key]
          if (Array.isArray(rules))
            rules.forEach((r, i) => {
              const group = isPlainObject(r) && String(r.op).endsWith('REGEX') && typeof r.value == 'string' ? riskyRepetition(r.value) : undefined
              if (group)
                warnings.push({
                  path: `triggers.${id}.${key}[${i}].value`,
                  message: `${JSON.stringify(group)} repeats a group that can match the same text in several ways (nested quantifiers): on text a visitor controls, such a pattern can take exponential time (catastrophic backtracking). tagrelay shows it at most ${REGEX_TEXT_MAX} characters, which does not always suffice: write it without a repeated group that itself repeats, or use CONTAINS / STARTS_WITH`,
                })
            })
        }
    }
  return warnings
}
