/**
 * The template expression engine: the JSONata subset described in docs/config.md. A separate
 * chunk, loaded only when a config has a template that is more than a plain path.
 */
import { ROOTS, type Evaluator, type TemplateScope } from '../router/template'
import { parse, type Node } from './parse'
import { evaluate } from './evaluate'
import { FUNCTIONS } from './functions'

/** Every function exists, and every path outside a predicate starts at client, system or variables. */
function check(n: Node, top: boolean): void {
  switch (n._type) {
    case 'name':
      if (top && !ROOTS.includes(n._name)) throw `"${n._name}" must be client, system or variables`
      return
    case 'call':
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, n._function)) throw `unknown function $${n._function}`
      for (const arg of n._args) check(arg, top)
      return
    case 'path':
      return check(n._from, top)
    case 'predicate':
      check(n._from, top)
      return check(n._predicate, false)
    case 'binary':
      check(n._left, top)
      return check(n._right, top)
    case 'negate':
      return check(n._operand, top)
    case 'condition':
      check(n._test, top)
      check(n._then, top)
      if (n._else) check(n._else, top)
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
