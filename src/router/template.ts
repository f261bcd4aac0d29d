import { isUnsafeKey, put } from '../lib/object'

/**
 * Action fields, match rules and variables are templates: text with `{{ path }}` holes.
 * A path is dot-separated names (`client.plan`, `system.page.url.pathname`,
 * `system.device.user-agent.browser.name`) where a backtick-quoted part holds any key
 * (``client.`odd key` ``). Templates are parsed once when the config loads, then evaluated by
 * walking the context: no `eval`, no `new Function`, so a strict CSP is fine.
 */

export interface TemplateScope {
  client: Record<string, unknown>
  readonly system: Record<string, unknown>
  variables: Record<string, unknown>
}

/** A compiled template: evaluates to the raw value when the whole text is one hole, else a string. */
export type Template = (scope: TemplateScope) => unknown

/** An evaluator for one `{{ }}` expression; never throws at event time. */
export type Evaluator = (scope: TemplateScope) => unknown

/**
 * Compiles an expression that is more than a path (the `expressions` chunk provides it). Throws a
 * message when the expression cannot be compiled.
 */
export type ExpressionCompiler = (expression: string) => Evaluator

/** What a template is written into: HTML (Custom HTML's `htmlCode`) or a URL (Custom Image's `imgSrc`). */
export type MarkupKind = 'html' | 'url'

/**
 * Compiles a template written into markup or a URL, each value escaped for its place (the
 * `autoescape` chunk); `hole` compiles one `{{ }}` as a template of its own. Holes in places no
 * escaping makes safe are reported through `onError`.
 */
export type MarkupCompiler = (source: string, kind: MarkupKind, hole: (source: string) => Template, onError: (message: string) => void) => Template

export interface TemplateOptions {
  expression?: ExpressionCompiler
  /** Called instead of reporting an error when an expression needs the engine and none was given. */
  needsEngine?: () => void
  escape?: MarkupCompiler
  /** Called when a template written into markup has holes and no `escape` was given. */
  needsEscaper?: () => void
}

/** Reports a problem at a path (inside a config); the message is `#` and the key unless said. */
export type Report = (path: string, message?: string) => void

/** Reports at `p` (`''`, `name...` or `[i]...`) inside `base`: a name follows a dot, the others follow `base` as they are. */
export const within =
  (report: Report, base: string): Report =>
  (p, m = '#' + p) =>
    report(p && p[0] != '[' ? base + '.' + p : base + p, m)

export const HOLE = /\{\{([\s\S]*?)\}\}/

/**
 * Splits a path expression into keys (dot-separated names or backtick-quoted keys), or
 * `undefined` when it is not one.
 */
export function parsePath(expr: string): string[] | undefined {
  // Each key with the dot before it, one right after the other: all of `s` when it is a path.
  // (A hyphen joins letters only: `a-1` is a subtraction, for the expression engine.)
  const s = '.' + expr.trim()
  const keys = [...s.matchAll(/\.([A-Za-z_$][\w$]*(?:-[A-Za-z_$][\w$]*)*|`([^`]*)`)/gy)]
  return keys.map((m) => m[0]).join('') == s ? keys.map((m) => m[2] ?? m[1]) : undefined
}

export const lookup = (root: unknown, keys: readonly string[]): unknown =>
  // Own properties only: a template never reaches a prototype.
  keys.reduce((v, k) => (v !== null && typeof v == 'object' && Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined), root)

export const text = (v: unknown): string => {
  if (v === undefined || v === null) return ''
  return typeof v == 'object' ? JSON.stringify(v) : String(v)
}

const constant = (v: unknown) => () => v

/**
 * Compiles a template. Problems are reported through `onError` (with a message naming the hole);
 * a hole that cannot be compiled evaluates to an empty string.
 */
export function compileTemplate(source: string, onError: (message: string) => void, options: TemplateOptions = {}, markup?: MarkupKind): Template {
  if (markup && HOLE.test(source)) {
    if (options.escape) return options.escape(source, markup, (hole) => compileTemplate(hole, onError, options), onError)
    // Without the escaper the field stays empty (its holes are compiled only to learn what they need).
    if (options.needsEscaper) options.needsEscaper()
    compileTemplate(source, onError, options)
    return constant('')
  }
  // Text and holes take turns (`split` keeps the captured holes at odd indexes); empty text is left out.
  const parts = source.split(HOLE).flatMap((p, i): Evaluator[] => {
    if (!(i % 2)) return p ? [constant(p)] : []
    try {
      return [compileHole(p, options)]
    } catch (e) {
      // Words in the config messages: `#hole {{ x }}: ` then the engine's message or `#root` / `#expr`.
      onError(`#hole {{${p}}}: ${e}`)
      return [constant('')]
    }
  })
  // One hole (or none) is its value as it is; text with holes is a string.
  return parts.length == 1 ? parts[0] : (scope) => parts.reduce((out: string, p) => out + text(p(scope)), '')
}

/** Where a template's path starts. */
export const ROOTS = ['client', 'system', 'variables']

/** A plain path stays in the core (the scope's own `client`, `system` or `variables`); anything else goes to the expression engine. */
function compileHole(expr: string, options: TemplateOptions): Evaluator {
  const keys = parsePath(expr)
  if (keys && ROOTS.includes(keys[0])) return (scope) => lookup(scope, keys)
  if (!keys && options.expression) return options.expression(expr)
  if (!keys && options.needsEngine) {
    options.needsEngine()
    return constant('')
  }
  throw keys ? '#root' : '#expr'
}

/**
 * Compiles every string inside a JSON value (problems are reported at their path inside it); other
 * values are returned as they are. `markup`: the field (of this object) written into markup or a URL.
 */
export function compileValue(value: unknown, report: Report, options: TemplateOptions = {}, markup?: readonly [string, MarkupKind]): Template {
  if (typeof value == 'string') return compileTemplate(value, (m) => report('', m), options)
  if (value && typeof value == 'object') {
    const list = Array.isArray(value)
    const entries = Object.keys(value).filter((k) => !isUnsafeKey(k)).map((k) => {
      const v = (value as Record<string, unknown>)[k]
      const r = within(report, list ? `[${k}]` : k)
      return [k, markup && k == markup[0] && typeof v == 'string' ? compileTemplate(v, (m) => r('', m), options, markup[1]) : compileValue(v, r, options)] as const
    })
    return (scope) => {
      const out = (list ? [] : {}) as Record<string, unknown>
      for (const [k, t] of entries) put(out, k, t(scope))
      return out
    }
  }
  return constant(value)
}
