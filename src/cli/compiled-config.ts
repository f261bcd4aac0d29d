import { compileConfig, type TemplateSource } from '../config/compile'
import type { CompiledConfig, RuleSource } from '../config/link'
import type { Rule } from '../router/triggers'
import type { Template } from '../router/template'
import { isPlainObject } from '../lib/object'

export interface BuildTimeCompile {
  /** The model as data, for the site build's core to link (src/config/link.ts). */
  compiled: CompiledConfig
  /** What the runtime reads of the config besides its model: consent, the cookie domain, `debugKey`, `historyChange`, `dataLayer`. */
  runtime: Record<string, unknown>
  needsExpressions: boolean
  needsEscaper: boolean
}

const RUNTIME_KEYS = ['consent', 'debugKey', 'historyChange', 'dataLayer']

/** Compiles a checked config in Node, as the browser would, and writes its model down as data. */
export function compileAtBuildTime(config: unknown): BuildTimeCompile {
  const sources = new Map<Template, TemplateSource>()
  const { model, needsExpressions, needsEscaper } = compileConfig(config, { sources })
  if (!model) throw new Error('compileAtBuildTime: the config has errors')
  // (A `worker` or `secret` variable is empty in a browser: the only template not compiled from the config.)
  const source = (t: Template): TemplateSource => sources.get(t) ?? ['']
  const rule = (r: Rule): RuleSource => (r.why ? [r.why[0], r.why[1], r.why[2]] : null)
  // (The routing index is built again from tools and triggers when the core links them.)
  const { index, ...rest } = model
  const compiled: CompiledConfig = {
    ...rest,
    tools: model.tools.map((t) => ({
      ...t,
      settingsTemplate: source(t.settingsTemplate!),
      defaultFields: source(t.defaultFields),
      actions: t.actions.map((a) => ({ ...a, fields: source(a.fields) })),
    })),
    triggers: [...model.triggers.values()].map((t) => [t.id, t.load.map(rule), t.exclude.map(rule), t.key ?? null]),
    variables: Object.fromEntries(Object.entries(model.variables).map(([id, t]) => [id, source(t)])),
  }
  const c = isPlainObject(config) ? config : {}
  const runtime: Record<string, unknown> = {}
  for (const key of RUNTIME_KEYS) if (key in c) runtime[key] = c[key]
  if (isPlainObject(c.settings) && c.settings.cookieDomain !== undefined) runtime.settings = { cookieDomain: c.settings.cookieDomain }
  return { compiled, runtime, needsExpressions, needsEscaper: !!needsEscaper }
}
