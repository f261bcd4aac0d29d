import type { ClientRule } from '../types/config'

/** A trigger rule driven by the page: armed by the `page-rules` chunk, checked here. */
export interface PageRule {
  trigger: string
  kind: ClientRule['action']
  settings: Record<string, unknown>
}

export const PAGE_RULE_KINDS: ReadonlyArray<ClientRule['action']> = [
  'clickListener',
  'formSubmission',
  'timer',
  'scrollDepth',
  'elementVisibility',
  'variableMatch',
]

/** `25%`, `50%`, `800px` → `[{ value: 25, unit: '%' }, …]`; throws a message on a bad entry. */
export function parsePositions(positions: unknown): Array<{ value: number; unit: '%' | 'px'; label: string }> {
  // Already parsed (settings checked once are checked again when armed).
  if (Array.isArray(positions) && positions.every((p) => p && typeof p.value == 'number' && (p.unit == '%' || p.unit == 'px')))
    return positions
  if (typeof positions != 'string' || !positions.trim()) throw 'expected positions such as "25%,50%,800px"'
  return positions.split(',').map((p) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(%|px)\s*$/.exec(p)
    if (!m) throw `"${p.trim()}" is not a position (use a number with % or px)`
    return { value: Number(m[1]), unit: m[2] as '%' | 'px', label: `${m[1]}${m[2]}` }
  })
}

/**
 * Checks a page rule's settings and returns them normalised. Problems go to `report` with the
 * setting's name as path. Selectors are checked against `doc` when there is one.
 */
export function checkPageRule(
  kind: ClientRule['action'],
  s: Record<string, unknown>,
  report: (path: string, message: string) => void,
  doc: Document | undefined,
): Record<string, unknown> {
  const selector = (key: string, type: unknown = 'css') => {
    const v = s[key]
    if (typeof v != 'string' || !v.trim()) return report(key, 'expected a selector')
    if (!doc) return
    try {
      // (Evaluated as the click listener does: an expression that gives no node set, `count(//a)`, throws here too.)
      if (type == 'xpath') doc.evaluate(v, doc, null, 7 /* ORDERED_NODE_SNAPSHOT_TYPE */, null)
      else doc.createDocumentFragment().querySelector(v)
    } catch {
      report(key, `invalid ${type == 'xpath' ? 'XPath expression' : 'CSS selector'} ${JSON.stringify(v)}`)
    }
  }
  const number = (key: string, min: number, fallback: number | undefined) => {
    const v = s[key] === undefined || s[key] === '' ? fallback : Number(s[key])
    if (v === undefined) return undefined
    if (!(v >= min)) report(key, `expected a number of at least ${min}, got ${JSON.stringify(s[key])}`)
    return v
  }
  switch (kind) {
    case 'clickListener': {
      const type = s.type ?? 'css'
      if (type != 'css' && type != 'xpath') report('type', 'expected "css" or "xpath"')
      selector('selector', type)
      return { selector: s.selector, type, waitForTags: number('waitForTags', 0, 0) }
    }
    case 'formSubmission':
      selector('selector')
      return { selector: s.selector, validate: s.validate === true || s.validate === 'true' }
    case 'elementVisibility':
      selector('selector')
      return { selector: s.selector }
    case 'timer':
      return { interval: number('interval', 1, 10_000), limit: number('limit', 0, undefined) }
    case 'scrollDepth':
      try {
        return { positions: parsePositions(s.positions) }
      } catch (m) {
        report('positions', String(m))
        return {}
      }
    case 'variableMatch':
      if (typeof s.variable != 'string' || !s.variable) report('variable', 'expected the zaraz.set key to watch')
      return { variable: s.variable, match: s.match === undefined ? '' : String(s.match) }
  }
  return s
}
