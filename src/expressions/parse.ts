/**
 * A parser for the part of JSONata that Zaraz templates use: paths (with `[ ]` predicates),
 * literals, `& + - * / %`, comparisons, `and`/`or`, `? :`, parentheses and `$function()` calls.
 * A hyphen between two letters is part of a name (`system.device.user-agent`), as Zaraz writes
 * it; subtraction needs spaces or a number (`a - b`, `a-1`).
 */

export type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'name'; v: string }
  | { t: 'path'; from: Node; step: Node }
  | { t: 'pred'; from: Node; pred: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'neg'; e: Node }
  | { t: 'cond'; c: Node; y: Node; n: Node | undefined }
  | { t: 'call'; f: string; args: Node[] }

type Token = { k: 'num' | 'str' | 'name' | 'fn' | 'op'; v: string; at: number }

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|`([^`]*)`|\$([A-Za-z_]\w*)|([A-Za-z_][\w]*(?:-[A-Za-z_]\w*)*)|(!=|<=|>=|[=<>&+\-*/%()[\].,?:]))/y

function tokenize(src: string): Token[] {
  const out: Token[] = []
  TOKEN.lastIndex = 0
  let at = 0
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break
    TOKEN.lastIndex = at
    const m = TOKEN.exec(src)
    if (!m) throw `unexpected "${src.slice(at).trim()[0]}" at ${at}`
    const pos = at + m[0].length - m[0].trimStart().length
    at = TOKEN.lastIndex
    if (m[1] !== undefined) out.push({ k: 'num', v: m[1], at: pos })
    else if (m[2] !== undefined) out.push({ k: 'str', v: unquote(m[2]), at: pos })
    else if (m[3] !== undefined) out.push({ k: 'name', v: m[3], at: pos })
    else if (m[4] !== undefined) out.push({ k: 'fn', v: m[4], at: pos })
    else if (m[5] !== undefined) out.push({ k: 'name', v: m[5], at: pos })
    else out.push({ k: 'op', v: m[6], at: pos })
  }
  return out
}

function unquote(s: string): string {
  const body = s.slice(1, -1)
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e[0] == 'u' && e.length == 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e,
  )
}

const BINARY: Record<string, number> = { or: 25, and: 30, '=': 40, '!=': 40, '<': 40, '<=': 40, '>': 40, '>=': 40, '&': 50, '+': 50, '-': 50, '*': 60, '/': 60, '%': 60 }

export function parse(src: string): Node {
  const tokens = tokenize(src)
  let i = 0
  const peek = () => tokens[i]
  const isOp = (v: string) => peek()?.k == 'op' && peek().v == v
  const expect = (v: string) => {
    if (!isOp(v)) throw peek() ? `expected "${v}" at ${peek().at}, found "${peek().v}"` : `expected "${v}" at the end`
    i++
  }
  const infix = (): string | undefined => {
    const t = peek()
    if (!t) return undefined
    if (t.k == 'op' && BINARY[t.v]) return t.v
    if (t.k == 'name' && (t.v == 'and' || t.v == 'or')) return t.v
    return undefined
  }

  const expression = (minPrec = 0): Node => {
    let left = unary()
    for (;;) {
      const op = infix()
      if (!op || BINARY[op] <= minPrec) break
      i++
      left = { t: 'bin', op, l: left, r: expression(BINARY[op]) }
    }
    if (minPrec == 0 && isOp('?')) {
      i++
      const y = expression()
      let n: Node | undefined
      if (isOp(':')) {
        i++
        n = expression()
      }
      return { t: 'cond', c: left, y, n }
    }
    return left
  }
  const unary = (): Node => {
    if (isOp('-')) {
      i++
      return { t: 'neg', e: unary() }
    }
    return postfix(primary())
  }
  const postfix = (node: Node): Node => {
    for (;;) {
      if (isOp('.')) {
        i++
        const t = peek()
        if (!t || t.k != 'name') throw t ? `expected a name after "." at ${t.at}` : 'expected a name after "."'
        i++
        node = { t: 'path', from: node, step: { t: 'name', v: t.v } }
      } else if (isOp('[')) {
        i++
        const pred = expression()
        expect(']')
        node = { t: 'pred', from: node, pred }
      } else return node
    }
  }
  const primary = (): Node => {
    const t = peek()
    if (!t) throw 'unexpected end of expression'
    i++
    if (t.k == 'num') return { t: 'lit', v: Number(t.v) }
    if (t.k == 'str') return { t: 'lit', v: t.v }
    if (t.k == 'name') {
      if (t.v == 'true' || t.v == 'false') return { t: 'lit', v: t.v == 'true' }
      if (t.v == 'null') return { t: 'lit', v: null }
      return { t: 'name', v: t.v }
    }
    if (t.k == 'fn') {
      expect('(')
      const args: Node[] = []
      if (!isOp(')')) {
        args.push(expression())
        while (isOp(',')) {
          i++
          args.push(expression())
        }
      }
      expect(')')
      return { t: 'call', f: t.v, args }
    }
    if (t.v == '(') {
      const e = expression()
      expect(')')
      return e
    }
    throw `unexpected "${t.v}" at ${t.at}`
  }

  const node = expression()
  if (i < tokens.length) throw `unexpected "${tokens[i].v}" at ${tokens[i].at}`
  return node
}
