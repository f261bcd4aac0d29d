import type { ConfigIssue, ZarazConfig } from '../types/config'
import type { Model, Tool } from './model'
import { compileValue, within, type ExpressionCompiler, type MarkupCompiler, type Report, type Template, type TemplateOptions } from '../router/template'
import type { checkPageRule, PageRule } from '../router/page-rule-settings'
import { buildIndex } from '../router/index'
import { isPlainObject } from '../lib/object'
import { str } from '../consent/settings'
import { compileTriggers } from './compile-triggers'
import { compileTool } from './compile-tools'
import { objectAt, ownEntries, type CompileAt, type Markup } from './read'

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
   * written and the `page-rules` chunk checks them when it loads (the checks are not in the core).
   */
  checkPageRule?: typeof checkPageRule
  /** Receives each template compiled with what it was compiled from (`tagrelay build` writes them into a site build: src/config/link.ts). */
  sources?: Map<Template, TemplateSource>
}

/** What a template of the model is compiled from: the value, and its markup field when it has one. */
export type TemplateSource = [value: unknown, markup?: Markup]

/**
 * Reads a Zaraz configuration in one pass: reports every problem with its JSON path and
 * compiles what the router needs: triggers (compile-triggers.ts), variables, tools with their
 * actions (compile-tools.ts, automated-actions.ts). With any error the model is dropped, so what
 * is built after one only has to not throw. (Warnings, which change nothing, are found by
 * `configWarnings`, outside the core.)
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
  const error: Report = (path, message = '#' + path) => {
    errors.push({ path, message })
  }
  // Each template compiled is noted with what it was compiled from, for the config linker (`options.sources`).
  const compile: CompileAt = (value, report, key, markup) => {
    const compiled = compileValue(value, within(report, key), template, markup)
    options.sources?.set(compiled, [value, markup])
    return compiled
  }

  // Not an object: one error, and an empty config is read so that the rest stays simple.
  const c: ZarazConfig = isPlainObject(config) ? config : {}
  if (c !== config) error('', '#notObject ' + (config === null ? 'null' : typeof config))
  const section = (key: string) => ownEntries(objectAt(c[key], error, key))

  const triggers = compileTriggers(objectAt(c.triggers, error, 'triggers'), error, template, options, pageRules)

  const variables: Model['variables'] = {}
  for (const [id, v] of section('variables')) {
    const report = within(error, 'variables.' + id)
    if (!isPlainObject(v)) report('', '#variable')
    // `worker` and `secret` variables only exist at Cloudflare's edge.
    else if (v.type == 'worker' || v.type == 'secret') variables[id] = () => ''
    else variables[id] = compile(v.value, report, 'value')
  }

  const settings = objectAt(c.settings, error, 'settings')
  const tools: Tool[] = []
  for (const [id, raw] of section('tools')) {
    const tool = compileTool(id, raw, within(error, 'tools.' + id), triggers, compile)
    if (tool) tools.push(tool)
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
