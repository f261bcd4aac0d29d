import { HOLE, text, type MarkupCompiler, type Template } from '../router/template'
import { htmlScanner, urlHole, type Scanner } from './html'

/**
 * Contextual auto-escaping of template values written into markup or a URL (Custom HTML's
 * `htmlCode`, Custom Image's `imgSrc`), as Go's html/template and Closure Templates do it: the
 * template's literal text decides each hole's place once, when the config is compiled, and its
 * value is escaped for that place at every event. A hole in a place no escaping makes safe is a
 * config error. A separate file (the `autoescape` chunk), loaded only for configs that have one.
 */

/** A URL of its own (`imgSrc`): its literal text so far decides where a value is. */
function urlScanner(): Scanner {
  let before = ''
  return {
    read(text) {
      before += text
    },
    hole: () => urlHole(before, undefined),
  }
}

export const compileMarkup: MarkupCompiler = (source, kind, hole, onError) => {
  const scanner = kind == 'url' ? urlScanner() : htmlScanner()
  // Text and holes take turns (`split` keeps the captured holes at odd indexes).
  const parts = source.split(HOLE).map((p, i): Template => {
    if (!(i % 2)) {
      scanner.read(p)
      return () => p
    }
    const escape = scanner.hole()
    if (typeof escape == 'string') {
      onError(`{{${p}}} ${escape}: no escaping keeps a value data there (move it, or set "autoescape": false on the tool to insert values raw)`)
      return () => ''
    }
    const value = hole(`{{${p}}}`)
    return (scope) => escape(text(value(scope)))
  })
  return (scope) => parts.map((p) => p(scope)).join('')
}
