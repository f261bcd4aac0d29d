import type { Node } from './parse'
import { FUNCTIONS, str, truthy } from './functions'

const own = (v: unknown, k: string) => {
  if (v === null || typeof v != 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return undefined
  return (v as Record<string, unknown>)[k]
}

/** A sequence as JSONata gives it: nothing is `undefined`, one item is the item itself. */
const sequence = (items: unknown[]) => {
  if (items.length == 0) return undefined
  if (items.length == 1) return items[0]
  return items
}

/** A step into `v`: over an array, the step maps over its items (and flattens), as in JSONata. */
function step(v: unknown, key: string): unknown {
  if (!Array.isArray(v)) return own(v, key)
  const out: unknown[] = []
  for (const item of v) {
    const x = step(item, key)
    if (x === undefined) continue
    if (Array.isArray(x)) out.push(...x)
    else out.push(x)
  }
  return sequence(out)
}

const num = (v: unknown) => (typeof v == 'number' ? v : undefined)

const text = (v: unknown): string => (v === null ? '' : (str(v) ?? ''))

/** Equal as JSON, when both sides have a value. */
const equal = (l: unknown, r: unknown) => l !== undefined && r !== undefined && JSON.stringify(l) === JSON.stringify(r)

/** An ordering compares two numbers or two strings; anything else has no order (`undefined`). */
const ordering =
  (holds: (a: number, b: number) => boolean) =>
  (l: unknown, r: unknown): boolean | undefined => {
    const numbers = typeof l == 'number' && typeof r == 'number'
    const strings = typeof l == 'string' && typeof r == 'string'
    if (!numbers && !strings) return undefined
    return holds(l as number, r as number)
  }

/** Arithmetic takes two numbers; anything else gives `undefined`. */
const arithmetic =
  (compute: (a: number, b: number) => number) =>
  (l: unknown, r: unknown): number | undefined => {
    const a = num(l)
    const b = num(r)
    if (a === undefined || b === undefined) return undefined
    return compute(a, b)
  }

/** The binary operators but `and` and `or` (which evaluate their right side only when needed), by symbol. */
const OPERATORS: Record<string, (l: unknown, r: unknown) => unknown> = {
  '&': (l, r) => text(l) + text(r),
  '=': equal,
  '!=': (l, r) => l !== undefined && r !== undefined && !equal(l, r),
  '<': ordering((a, b) => a < b),
  '<=': ordering((a, b) => a <= b),
  '>': ordering((a, b) => a > b),
  '>=': ordering((a, b) => a >= b),
  '+': arithmetic((a, b) => a + b),
  '-': arithmetic((a, b) => a - b),
  '*': arithmetic((a, b) => a * b),
  '/': arithmetic((a, b) => a / b),
  '%': arithmetic((a, b) => a % b),
}

/** A predicate's number picks an item by index (negative: from the end). */
const picks = (p: number, i: number, length: number) => i === (p < 0 ? length + Math.floor(p) : Math.floor(p))

/** Evaluates a parsed expression against `ctx`; a name is a key of the context (at the top: client, system, variables). */
export function evaluate(n: Node, ctx: unknown): unknown {
  switch (n._type) {
    case 'literal':
      return n._value
    case 'name':
      return step(ctx, n._name)
    case 'path': {
      const from = evaluate(n._from, ctx)
      if (from === undefined) return undefined
      return evaluate(n._step, from)
    }
    case 'predicate': {
      const from = evaluate(n._from, ctx)
      if (from === undefined) return undefined
      const items = Array.isArray(from) ? from : [from]
      const kept = items.filter((item, i) => {
        const p = evaluate(n._predicate, item)
        if (typeof p == 'number') return picks(p, i, items.length)
        return truthy(p)
      })
      return sequence(kept)
    }
    case 'negate': {
      const v = num(evaluate(n._operand, ctx))
      return v === undefined ? undefined : -v
    }
    case 'condition':
      if (truthy(evaluate(n._test, ctx))) return evaluate(n._then, ctx)
      return n._else ? evaluate(n._else, ctx) : undefined
    case 'call':
      return FUNCTIONS[n._function](...n._args.map((a) => evaluate(a, ctx)))
    case 'binary': {
      if (n._operator == 'and') return truthy(evaluate(n._left, ctx)) && truthy(evaluate(n._right, ctx))
      if (n._operator == 'or') return truthy(evaluate(n._left, ctx)) || truthy(evaluate(n._right, ctx))
      return OPERATORS[n._operator](evaluate(n._left, ctx), evaluate(n._right, ctx))
    }
  }
}
