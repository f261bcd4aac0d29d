/**
 * The template expression engine: the JSONata subset described in docs/config.md. A separate
 * chunk, loaded only when a config has a template that is more than a plain path.
 */
import type { Evaluator, TemplateScope } from '../router/template'
import { parse, type Node } from './parse'
import { evaluate } from './evaluate'
import { FUNCTIONS } from './functions'

const ROOTS = ['client', 'system', 'variables']

/** Every function exists, and every path outside a predicate starts at client, system or variables. */
function check(n: Node, top: boolean): void {
  switch (n.t) {
    case 'name':
      if (top && !ROOTS.includes(n.v)) throw `"${n.v}" must be client, system or variables`
      return
    case 'call':
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, n.f)) throw `unknown function $${n.f}`
      return n.args.forEach((a) => check(a, top))
    case 'path':
      return check(n.from, top)
    case 'pred':
      check(n.from, top)
      return check(n.pred, false)
    case 'bin':
      check(n.l, top)
      return check(n.r, top)
    case 'neg':
      return check(n.e, top)
    case 'cond':
      check(n.c, top)
      check(n.y, top)
      if (n.n) check(n.n, top)
  }
}

/** Compiles one `{{ }}` expression; throws a message when it is not one we support. */
export function compileExpression(source: string): Evaluator {
  const node = parse(source)
  check(node, true)
  return (scope: TemplateScope) => {
    try {
      return evaluate(node, scope)
    } catch {
      // An expression never throws at event time: a value it cannot compute is missing.
      return undefined
    }
  }
}
