import { isUnsafeKey } from '../lib/object'

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

export interface TemplateOptions {
  expression?: ExpressionCompiler
  /** Called instead of reporting an error when an expression needs the engine and none was given. */
  needsEngine?: () => void
}

type Part = string | string[] | Evaluator

const HOLE = /\{\{([\s\S]*?)\}\}/g

/** Splits a path expression into keys; throws a message when it is not one. */
export function parsePath(expr: string): string[] {
  const keys: string[] = []
  const s = expr.trim()
  let i = 0
  while (i < s.length) {
    if (s[i] == '`') {
      const end = s.indexOf('`', i + 1)
      if (end < 0) throw 'an unclosed backtick'
      keys.push(s.slice(i + 1, end))
      i = end + 1
    } else {
      const m = /^[A-Za-z_$][\w$-]*/.exec(s.slice(i))
      if (!m) throw `"${s.slice(i)}" is not a supported expression (paths like client.name are)`
      keys.push(m[0])
      i += m[0].length
    }
    if (i < s.length) {
      if (s[i] != '.') throw `"${s}" is not a supported expression (paths like client.name are)`
      i++
      if (i == s.length) throw `"${s}" ends with a dot`
    }
  }
  if (!keys.length) throw 'an empty {{ }}'
  return keys
}

export function lookup(root: unknown, keys: readonly string[]): unknown {
  let v = root
  for (const k of keys) {
    if (v === null || typeof v != 'object') return undefined
    // Own properties only: a template never reaches a prototype.
    v = Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined
  }
  return v
}

export const text = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v == 'object' ? JSON.stringify(v) : String(v)

const resolve = (keys: string[], scope: TemplateScope) =>
  lookup(
    keys[0] == 'client' ? scope.client : keys[0] == 'system' ? scope.system : keys[0] == 'variables' ? scope.variables : undefined,
    keys.slice(1),
  )

/**
 * Compiles a template. Problems are reported through `onError` (with a message naming the hole);
 * a hole that cannot be parsed evaluates to an empty string.
 */
export function compileTemplate(source: string, onError: (message: string) => void, options: TemplateOptions = {}): Template {
  const parts: Part[] = []
  let last = 0
  let holes = 0
  for (const m of source.matchAll(HOLE)) {
    holes++
    if (m.index! > last) parts.push(source.slice(last, m.index))
    try {
      parts.push(compileHole(m[1], options))
    } catch (e) {
      onError(`cannot evaluate {{${m[1]}}}: ${e}`)
      parts.push('')
    }
    last = m.index! + m[0].length
  }
  if (last < source.length) parts.push(source.slice(last))
  const value = (p: Part, scope: TemplateScope) => (typeof p == 'function' ? p(scope) : resolve(p as string[], scope))
  if (parts.length == 1 && typeof parts[0] != 'string') {
    const only = parts[0]
    return (scope) => value(only, scope)
  }
  if (!holes) return () => source
  return (scope) => {
    let out = ''
    for (const p of parts) out += typeof p == 'string' ? p : text(value(p, scope))
    return out
  }
}

const ROOTS = ['client', 'system', 'variables']

/** A plain path stays in the core; anything else goes to the expression engine. */
function compileHole(expr: string, options: TemplateOptions): Part {
  let keys: string[] | undefined
  try {
    keys = parsePath(expr)
  } catch (e) {
    if (options.expression) return options.expression(expr)
    if (options.needsEngine) {
      options.needsEngine()
      return ''
    }
    throw e
  }
  if (!ROOTS.includes(keys[0])) throw `"${expr.trim()}" must start with client., system. or variables.`
  return keys
}

/** Compiles every string inside a JSON value; other values are returned as they are. */
export function compileValue(
  value: unknown,
  onError: (path: string, message: string) => void,
  options: TemplateOptions = {},
  path = '',
): Template {
  if (typeof value == 'string') return compileTemplate(value, (m) => onError(path, m), options)
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileValue(v, onError, options, `${path}[${i}]`))
    return (scope) => items.map((t) => t(scope))
  }
  if (value && typeof value == 'object') {
    const entries = Object.keys(value).filter((k) => !isUnsafeKey(k)).map(
      (k) => [k, compileValue((value as Record<string, unknown>)[k], onError, options, path ? `${path}.${k}` : k)] as const,
    )
    return (scope) => {
      const out: Record<string, unknown> = {}
      for (const [k, t] of entries) out[k] = t(scope)
      return out
    }
  }
  return () => value
}
