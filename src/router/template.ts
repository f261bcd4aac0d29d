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

type Part = string | string[]

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

const text = (v: unknown): string =>
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
export function compileTemplate(source: string, onError: (message: string) => void): Template {
  const parts: Part[] = []
  let last = 0
  let holes = 0
  for (const m of source.matchAll(HOLE)) {
    holes++
    if (m.index! > last) parts.push(source.slice(last, m.index))
    try {
      const keys = parsePath(m[1])
      if (keys[0] != 'client' && keys[0] != 'system' && keys[0] != 'variables')
        throw `"${m[1].trim()}" must start with client., system. or variables.`
      parts.push(keys)
    } catch (e) {
      onError(`cannot evaluate {{${m[1]}}}: ${e}`)
      parts.push('')
    }
    last = m.index! + m[0].length
  }
  if (last < source.length) parts.push(source.slice(last))
  if (parts.length == 1 && typeof parts[0] != 'string') {
    const keys = parts[0]
    return (scope) => resolve(keys, scope)
  }
  if (!holes) return () => source
  return (scope) => {
    let out = ''
    for (const p of parts) out += typeof p == 'string' ? p : text(resolve(p, scope))
    return out
  }
}

/** Compiles every string inside a JSON value; other values are returned as they are. */
export function compileValue(value: unknown, onError: (path: string, message: string) => void, path = ''): Template {
  if (typeof value == 'string') {
    const t = compileTemplate(value, (m) => onError(path, m))
    return t
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileValue(v, onError, `${path}[${i}]`))
    return (scope) => items.map((t) => t(scope))
  }
  if (value && typeof value == 'object') {
    const entries = Object.keys(value).filter((k) => !isUnsafeKey(k)).map(
      (k) => [k, compileValue((value as Record<string, unknown>)[k], onError, path ? `${path}.${k}` : k)] as const,
    )
    return (scope) => {
      const out: Record<string, unknown> = {}
      for (const [k, t] of entries) out[k] = t(scope)
      return out
    }
  }
  return () => value
}
