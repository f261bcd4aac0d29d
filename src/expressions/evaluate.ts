import type { Node } from './parse'
import { FUNCTIONS, str, truthy } from './functions'

const own = (v: unknown, k: string) =>
  v !== null && typeof v == 'object' && Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined

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
  return out.length == 0 ? undefined : out.length == 1 ? out[0] : out
}

const num = (v: unknown) => (typeof v == 'number' ? v : undefined)

/** Evaluates a parsed expression against `ctx`; a name is a key of the context (at the top: client, system, variables). */
export function evaluate(n: Node, ctx: unknown): unknown {
  switch (n.t) {
    case 'lit':
      return n.v
    case 'name':
      return step(ctx, n.v)
    case 'path': {
      const from = evaluate(n.from, ctx)
      return from === undefined ? undefined : evaluate(n.step, from)
    }
    case 'pred': {
      const from = evaluate(n.from, ctx)
      if (from === undefined) return undefined
      const items = Array.isArray(from) ? from : [from]
      const kept = items.filter((item, i) => {
        const p = evaluate(n.pred, item)
        if (typeof p == 'number') return i === (p < 0 ? items.length + Math.floor(p) : Math.floor(p))
        return truthy(p)
      })
      return kept.length == 0 ? undefined : kept.length == 1 ? kept[0] : kept
    }
    case 'neg': {
      const v = num(evaluate(n.e, ctx))
      return v === undefined ? undefined : -v
    }
    case 'cond':
      return truthy(evaluate(n.c, ctx)) ? evaluate(n.y, ctx) : n.n ? evaluate(n.n, ctx) : undefined
    case 'call': {
      const fn = FUNCTIONS[n.f]
      return fn(...n.args.map((a) => evaluate(a, ctx)))
    }
    case 'bin': {
      if (n.op == 'and') return truthy(evaluate(n.l, ctx)) && truthy(evaluate(n.r, ctx))
      if (n.op == 'or') return truthy(evaluate(n.l, ctx)) || truthy(evaluate(n.r, ctx))
      const l = evaluate(n.l, ctx)
      const r = evaluate(n.r, ctx)
      switch (n.op) {
        case '&':
          return text(l) + text(r)
        case '=':
          return l !== undefined && r !== undefined && JSON.stringify(l) === JSON.stringify(r)
        case '!=':
          return l !== undefined && r !== undefined && JSON.stringify(l) !== JSON.stringify(r)
      }
      if (n.op == '<' || n.op == '<=' || n.op == '>' || n.op == '>=') {
        const same = (typeof l == 'number' && typeof r == 'number') || (typeof l == 'string' && typeof r == 'string')
        if (!same) return undefined
        const a = l as number
        const b = r as number
        return n.op == '<' ? a < b : n.op == '<=' ? a <= b : n.op == '>' ? a > b : a >= b
      }
      const a = num(l)
      const b = num(r)
      if (a === undefined || b === undefined) return undefined
      return n.op == '+' ? a + b : n.op == '-' ? a - b : n.op == '*' ? a * b : n.op == '/' ? a / b : a % b
    }
  }
}

const text = (v: unknown): string => (v === null ? '' : str(v) ?? '')
