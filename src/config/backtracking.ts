/**
 * Finds, in a regular expression's source, a repeated group that can match the same text in
 * more than one way: a group repeated without bound (`*`, `+`, `{n,}`) that itself holds a
 * repetition (`(a+)+`, `(a*)*`, `(\w+\s?)+`, `(a{1,3})+`: nested quantifiers, "star height"
 * above 1 as safe-regex measures it), or whose alternatives can start with the same character
 * (`(a|a)*`, `(\w|_)+`).
 * Such patterns can take exponential time on text that almost matches (catastrophic
 * backtracking). A heuristic for config warnings: it may flag a pattern that is safe, and it does
 * not prove the others fast (the runtime also bounds the text a pattern sees). Returns that
 * group with its quantifier, or `undefined`.
 */
export function riskyRepetition(source: string): string | undefined {
  /** An open group: where its `(` is, whether something in it repeats (more than once), where its alternatives start. */
  type Group = { open: number; repeats: boolean; alternatives: number[] }
  const stack: Group[] = [{ open: -1, repeats: false, alternatives: [0] }]
  let i = 0
  // The quantifier at `i` (skipped): 0 none or at most once (`?`, `{0,1}`), 1 bounded, 2 without bound.
  const quantifier = (): number => {
    const c = source[i]
    let kind = 0
    if (c == '*' || c == '+') {
      kind = 2
      i++
    } else if (c == '?') i++
    else if (c == '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i))
      if (m) {
        // `{n,}` has no bound; `{n}` and `{n,m}` repeat when they allow more than one.
        if (m[2] && !m[3]) kind = 2
        else if (Number(m[3] ?? m[1]) > 1) kind = 1
        i += m[0].length
      }
    }
    // A lazy quantifier backtracks as much.
    if ((kind || c == '?') && source[i] == '?') i++
    return kind
  }
  while (i < source.length) {
    const c = source[i]
    const top = stack[stack.length - 1]
    if (c == '(') {
      // `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`: the group's body starts after them.
      const m = /^\((\?(:|=|!|<=|<!|<[^>]*>))?/.exec(source.slice(i))!
      stack.push({ open: i, repeats: false, alternatives: [i + m[0].length] })
      i += m[0].length
      continue
    }
    if (c == '|') {
      i++
      top.alternatives.push(i)
      continue
    }
    if (c == ')' && stack.length > 1) {
      const group = stack.pop()!
      const close = i
      i++
      const repeat = quantifier()
      if (repeat == 2 && (group.repeats || overlapping(source, group.alternatives, close))) return source.slice(group.open, i)
      const parent = stack[stack.length - 1]
      parent.repeats ||= group.repeats || repeat > 0
      continue
    }
    // One atom: an escape, a class or a character.
    i = atomEnd(source, i)
    if (quantifier()) top.repeats = true
  }
}

/** Where the atom at `i` (an escape, a class, `.` or a character) ends. */
function atomEnd(source: string, i: number): number {
  if (source[i] == '\\') {
    const m = /^\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|[pP]\{[^}]*\}|k<[^>]*>|\d+|[\s\S])/.exec(source.slice(i))
    return i + (m ? m[0].length : 1)
  }
  if (source[i] == '[') {
    let j = i + 1
    if (source[j] == '^') j++
    // A `]` right after `[` or `[^` is part of the class in other flavours, not in JavaScript: it ends it.
    while (j < source.length && source[j] != ']') j += source[j] == '\\' ? 2 : 1
    return j + 1
  }
  return i + 1
}

/**
 * Whether two alternatives of the group closed at `end` (their starts in `starts`) can start with
 * the same character: each alternative's first atom is tried on the characters of the pattern and a
 * few of each kind. An alternative that does not start with an atom is not compared.
 */
function overlapping(source: string, starts: number[], end: number): boolean {
  if (starts.length < 2) return false
  const firsts: RegExp[] = []
  starts.forEach((start, k) => {
    const stop = k + 1 < starts.length ? starts[k + 1] - 1 : end
    if (start >= stop || /[()^$|]/.test(source[start])) return
    try {
      firsts.push(new RegExp('^(?:' + source.slice(start, atomEnd(source, start)) + ')'))
    } catch {
      // Not valid on its own (a lone `{`…): not compared.
    }
  })
  const samples = new Set([...source, 'a', 'Z', '0', '_', ' ', '\n', '-', '.', '/', 'é'])
  for (const ch of samples) if (firsts.filter((r) => r.test(ch)).length > 1) return true
  return false
}
