/**
 * A parser for the part of JSONata that Zaraz templates use: paths (with `[ ]` predicates),
 * literals, `& + - * / %`, comparisons, `and`/`or`, `? :`, parentheses and `$function()` calls.
 * A hyphen between two letters is part of a name (`system.device.user-agent`), as Zaraz writes
 * it; subtraction needs spaces or a number (`a - b`, `a-1`).
 */

/** A parsed expression. */
export type Node =
  | { _type: 'literal'; _value: unknown }
  | { _type: 'name'; _name: string }
  | { _type: 'path'; _from: Node; _step: Node }
  | { _type: 'predicate'; _from: Node; _predicate: Node }
  | { _type: 'binary'; _operator: string; _left: Node; _right: Node }
  | { _type: 'negate'; _operand: Node }
  | { _type: 'condition'; _test: Node; _then: Node; _else: Node | undefined }
  | { _type: 'call'; _function: string; _args: Node[] }

/** A token of the source, and where it starts. */
type Token = { _kind: 'number' | 'string' | 'name' | 'function' | 'operator'; _text: string; _at: number }

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
    if (m[1] !== undefined) out.push({ _kind: 'number', _text: m[1], _at: pos })
    else if (m[2] !== undefined) out.push({ _kind: 'string', _text: unquote(m[2]), _at: pos })
    else if (m[3] !== undefined) out.push({ _kind: 'name', _text: m[3], _at: pos })
    else if (m[4] !== undefined) out.push({ _kind: 'function', _text: m[4], _at: pos })
    else if (m[5] !== undefined) out.push({ _kind: 'name', _text: m[5], _at: pos })
    else out.push({ _kind: 'operator', _text: m[6], _at: pos })
  }
  return out
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }

function unquote(s: string): string {
  const body = s.slice(1, -1)
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e[0] == 'u' && e.length == 5) return String.fromCharCode(parseInt(e.slice(1), 16))
    return ESCAPES[e] ?? e
  })
}

const BINARY: Record<string, number> = { or: 25, and: 30, '=': 40, '!=': 40, '<': 40, '<=': 40, '>': 40, '>=': 40, '&': 50, '+': 50, '-': 50, '*': 60, '/': 60, '%': 60 }

export function parse(src: string): Node {
  const tokens = tokenize(src)
  let i = 0
  const peek = () => tokens[i]
  const isOp = (v: string) => peek()?._kind == 'operator' && peek()._text == v
  const expect = (v: string) => {
    if (isOp(v)) i++
    else if (peek()) throw `expected "${v}" at ${peek()._at}, found "${peek()._text}"`
    else throw `expected "${v}" at the end`
  }
  const infix = (): string | undefined => {
    const t = peek()
    if (!t) return undefined
    if (t._kind == 'operator' && BINARY[t._text]) return t._text
    if (t._kind == 'name' && (t._text == 'and' || t._text == 'or')) return t._text
    return undefined
  }

  const expression = (minPrec = 0): Node => {
    let left = unary()
    for (;;) {
      const op = infix()
      if (!op || BINARY[op] <= minPrec) break
      i++
      left = { _type: 'binary', _operator: op, _left: left, _right: expression(BINARY[op]) }
    }
    if (minPrec == 0 && isOp('?')) {
      i++
      const then = expression()
      let otherwise: Node | undefined
      if (isOp(':')) {
        i++
        otherwise = expression()
      }
      return { _type: 'condition', _test: left, _then: then, _else: otherwise }
    }
    return left
  }
  const unary = (): Node => {
    if (isOp('-')) {
      i++
      return { _type: 'negate', _operand: unary() }
    }
    return postfix(primary())
  }
  const postfix = (node: Node): Node => {
    for (;;) {
      if (isOp('.')) {
        i++
        const t = peek()
        if (!t) throw 'expected a name after "."'
        if (t._kind != 'name') throw `expected a name after "." at ${t._at}`
        i++
        node = { _type: 'path', _from: node, _step: { _type: 'name', _name: t._text } }
      } else if (isOp('[')) {
        i++
        const pred = expression()
        expect(']')
        node = { _type: 'predicate', _from: node, _predicate: pred }
      } else return node
    }
  }
  const primary = (): Node => {
    const t = peek()
    if (!t) throw 'unexpected end of expression'
    i++
    if (t._kind == 'number') return { _type: 'literal', _value: Number(t._text) }
    if (t._kind == 'string') return { _type: 'literal', _value: t._text }
    if (t._kind == 'name') {
      if (t._text == 'true' || t._text == 'false') return { _type: 'literal', _value: t._text == 'true' }
      if (t._text == 'null') return { _type: 'literal', _value: null }
      return { _type: 'name', _name: t._text }
    }
    if (t._kind == 'function') {
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
      return { _type: 'call', _function: t._text, _args: args }
    }
    if (t._text == '(') {
      const e = expression()
      expect(')')
      return e
    }
    throw `unexpected "${t._text}" at ${t._at}`
  }

  const node = expression()
  if (i < tokens.length) throw `unexpected "${tokens[i]._text}" at ${tokens[i]._at}`
  return node
}
