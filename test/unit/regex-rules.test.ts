// A regular expression in a trigger runs on text the visitor controls: the runtime shows it at
// most REGEX_TEXT_MAX characters, and validateConfig warns on patterns that can backtrack
// catastrophically (nested quantifiers).
import { beforeEach, describe, expect, test } from 'vitest'
import { validateConfig } from '../../src/index'
import { riskyRepetition } from '../../src/config/backtracking'
import { REGEX_TEXT_MAX } from '../../src/router/triggers'
import { httpTool, resetPage, setup } from './helpers'

beforeEach(resetPage)

/** A config whose collector gets `search` events whose `q` matches (or not) `pattern`, as a Zaraz export writes it. */
const config = (op: 'MATCH_REGEX' | 'NOT_MATCH_REGEX', pattern: string, where: 'loadRules' | 'excludeRules' = 'loadRules') => ({
  zarazVersion: 57,
  triggers: {
    sRch: {
      name: 'Search',
      loadRules: [
        { id: 'r1', match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'search' },
        ...(where == 'loadRules' ? [{ id: 'r2', match: '{{ client.q }}', op, value: pattern }] : []),
      ],
      excludeRules: where == 'excludeRules' ? [{ id: 'r3', match: '{{ client.q }}', op, value: pattern }] : [],
    },
  },
  variables: {},
  tools: {
    c: httpTool({ automatedActions: undefined, actions: { a1: { actionType: 'event', firingTriggers: ['sRch'], blockingTriggers: [], data: { __zaraz_setting_name: 'Search' } } } }),
  },
})

describe('the text a regular expression sees', () => {
  test('is at most the first 1,000 characters of the value', async () => {
    const { zaraz, transport } = setup(config('MATCH_REGEX', 'x$'))
    await zaraz.track('search', { q: 'a'.repeat(999) + 'x' })
    expect(transport.requests.length).toBe(1)
    // One character more: the `x` is past what the pattern sees.
    await zaraz.track('search', { q: 'a'.repeat(1000) + 'x' })
    expect(transport.requests.length).toBe(1)
    expect(REGEX_TEXT_MAX).toBe(1000)
  })

  test('NOT_MATCH_REGEX sees the same text', async () => {
    const { zaraz, transport } = setup(config('NOT_MATCH_REGEX', 'x$'))
    await zaraz.track('search', { q: 'a'.repeat(999) + 'x' })
    expect(transport.requests.length).toBe(0)
    await zaraz.track('search', { q: 'a'.repeat(1000) + 'x' })
    expect(transport.requests.length).toBe(1)
  })

  test('text operators compare the whole value', async () => {
    const long = 'a'.repeat(5000) + 'x'
    const c = config('MATCH_REGEX', '')
    c.triggers.sRch.loadRules[1] = { id: 'r2', match: '{{ client.q }}', op: 'ENDS_WITH' as never, value: 'x' }
    const { zaraz, transport } = setup(c)
    await zaraz.track('search', { q: long })
    expect(transport.requests.length).toBe(1)
  })
})

describe('validateConfig on patterns that backtrack catastrophically', () => {
  test.each(['(a+)+', '(a*)*', '(a|a)*', '(\\w+\\s?)+$', '^([a-z0-9]+\\.?)+@', '(?:x+x+)+y', '(a{1,3})+', '(\\w|_)+', '((ab)*)+'])('warns on %s, in load and exclude rules, at its path', (pattern) => {
    for (const where of ['loadRules', 'excludeRules'] as const) {
      const { errors, warnings } = validateConfig(config('MATCH_REGEX', pattern, where))
      expect(errors).toEqual([])
      const index = where == 'loadRules' ? 1 : 0
      expect(warnings).toEqual([{ path: `triggers.sRch.${where}[${index}].value`, message: expect.stringContaining('catastrophic backtracking') }])
    }
  })

  test.each(['^/blog/drafts?/', '^(\\d+\\.){3}\\d+$', '^__zaraz.*', '^Pageview$', '(a|b)*', '[(]a+[)]+', '\\(a+\\)+', '(?:x|y)+', '^(?<year>\\d{4})-(?<m>\\d{2})$', '.*?thank-you.*'])('does not warn on %s', (pattern) => {
    expect(validateConfig(config('NOT_MATCH_REGEX', pattern)).warnings).toEqual([])
  })

  test('the warning names the group and what to do', () => {
    const [w] = validateConfig(config('MATCH_REGEX', '^(\\w+\\s?)+$')).warnings
    expect(w.message).toContain('"(\\\\w+\\\\s?)+"')
    expect(w.message).toContain(`at most ${REGEX_TEXT_MAX} characters`)
  })
})

describe('riskyRepetition', () => {
  test('finds the repeated group, with its quantifier', () => {
    expect(riskyRepetition('^(a+)+$')).toBe('(a+)+')
    expect(riskyRepetition('x(?:a|ab?)*?y')).toBe('(?:a|ab?)*?')
    expect(riskyRepetition('(?<w>\\w+\\s?){2,}')).toBe('(?<w>\\w+\\s?){2,}')
    // Escapes and classes are atoms: a `(` in a class or escaped opens no group.
    expect(riskyRepetition('[(+]+\\)+')).toBeUndefined()
    expect(riskyRepetition('(\\u0041+)+')).toBe('(\\u0041+)+')
    // A bounded outer repetition is polynomial: the length bound covers it.
    expect(riskyRepetition('(a+){3}')).toBeUndefined()
  })
})
