/**
 * Where a point in JavaScript source is, for a value put there: in an expression, in a string
 * (quoted or a template literal's text), in a comment, or in a regular expression. It reads the
 * config's literal source around the holes (a script element's text, an `on*` attribute's value),
 * the way Go's html/template and Closure Templates do; a value never changes where it is.
 */
export type JsPlace = 'expression' | 'string' | 'comment' | 'regex' | 'escaped'

export interface JsScanner {
  /** Reads literal source text. */
  read(text: string): void
  /** Where a value put here would be (`escaped`: right after a backslash in a string). */
  place(): JsPlace
  /** A value was put here (in an expression, as a string literal: a `/` after it divides). */
  hole(): void
}

/** Words after which a `/` starts a regular expression, not a division. */
const KEYWORDS = /^(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/

/** `'`, `"` and `` ` `` are the strings; `//` and `/*` the comments; `/` a regular expression. */
type State = 'expression' | "'" | '"' | '`' | '//' | '/*' | '/'

const LINE_END = /[\n\r\u2028\u2029]/

export function jsScanner(): JsScanner {
  let state: State = 'expression'
  /** After a backslash in a string, a template literal or a regular expression. */
  let escaped = false
  /** In a regular expression's character class (`[...]`, where `/` does not end it). */
  let inClass = false
  /** The end of the expression text so far: its last token decides what a `/` is. */
  let tail = ''
  /** The braces open in each `${ }` of the template literals around us (innermost last). */
  const braces: number[] = []

  // A string, template literal or regular expression ended: an operand, so a `/` after it divides.
  const operandEnds = () => {
    state = 'expression'
    tail += ')'
  }
  // (Go's rule: after an operand, `)` or `]`, a `/` divides; after anything else, or a keyword, it starts a regex.)
  const regexMayStart = () => {
    const last = /([\w$]+|[^\s\w$])\s*$/.exec(tail)
    if (!last) return true
    if (/[\w$]/.test(last[1][0])) return KEYWORDS.test(last[1])
    return last[1] != ')' && last[1] != ']'
  }

  const read = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      const next = text[i + 1]
      if (escaped) {
        escaped = false
        continue
      }
      if (state == 'expression') {
        if (c == '/' && (next == '/' || next == '*')) {
          state = next == '/' ? '//' : '/*'
          i++
        } else if (c == '/' && regexMayStart()) state = '/'
        else if (c == "'" || c == '"' || c == '`') state = c
        else if (c == '}' && braces.length && !braces[braces.length - 1]) {
          // The end of a template literal's `${ }`: back in its text.
          braces.pop()
          state = '`'
        } else {
          if (braces.length && c == '{') braces[braces.length - 1]++
          if (braces.length && c == '}') braces[braces.length - 1]--
          tail = (tail + c).slice(-32)
        }
      } else if (state == '//') {
        if (LINE_END.test(c)) state = 'expression'
      } else if (state == '/*') {
        if (c == '*' && next == '/') {
          state = 'expression'
          i++
        }
      } else if (c == '\\') escaped = true
      else if (state == '/') {
        if (c == '[') inClass = true
        else if (c == ']') inClass = false
        else if ((c == '/' && !inClass) || LINE_END.test(c)) operandEnds()
      } else if (state == '`') {
        if (c == '`') operandEnds()
        else if (c == '$' && next == '{') {
          braces.push(0)
          state = 'expression'
          tail = '('
          i++
        }
      } else if (c == state || /[\n\r]/.test(c)) operandEnds()
    }
  }

  return {
    read,
    place() {
      if (escaped) return 'escaped'
      if (state == 'expression') return 'expression'
      if (state == '/') return 'regex'
      return state == '//' || state == '/*' ? 'comment' : 'string'
    },
    hole() {
      if (state == 'expression') tail += ')'
    },
  }
}
