import { describe, expect, test } from 'vitest'
import { compileTemplate, compileValue, parsePath } from '../../src/router/template'
import { describe as words } from '../../src/config/messages'

const scope = {
  client: { plan: 'pro', n: 3, 'odd-key': 'odd', 'with space': 'sp', nested: { a: { b: 'deep' } }, __zarazTrack: 'signup' },
  system: { page: { url: { pathname: '/shop' } }, device: { 'user-agent': { browser: { name: 'Chrome' } } } },
  variables: { v1: 'var-value' },
}

const run = (src: string) => {
  const errors: string[] = []
  const value = compileTemplate(src, (m) => errors.push(m))(scope)
  return { value, errors }
}

describe('templates', () => {
  test('a whole-field template keeps the value type', () => {
    expect(run('{{ client.n }}').value).toBe(3)
    expect(run('{{client.nested}}').value).toEqual({ a: { b: 'deep' } })
  })

  test('text around holes makes a string; missing values are empty', () => {
    expect(run('plan={{ client.plan }}&n={{ client.n }}&x={{ client.missing }}').value).toBe('plan=pro&n=3&x=')
  })

  test('nested paths, system paths with hyphens, and backtick-quoted keys', () => {
    expect(run('{{ client.nested.a.b }}').value).toBe('deep')
    expect(run('{{ system.page.url.pathname }}').value).toBe('/shop')
    expect(run('{{ system.device.user-agent.browser.name }}').value).toBe('Chrome')
    expect(run('{{ client.`with space` }}').value).toBe('sp')
    expect(run('{{ client.odd-key }}').value).toBe('odd')
  })

  test('variables resolve', () => {
    expect(run('{{ variables.v1 }}').value).toBe('var-value')
  })

  test('text without holes is returned as it is', () => {
    expect(run('plain').value).toBe('plain')
  })

  test('an expression that is not a path is reported, never thrown', () => {
    for (const bad of ['{{ client.a + 1 }}', '{{ }}', '{{ window.x }}', '{{ client. }}', '{{ client.`open }}']) {
      const { value, errors } = run(bad)
      expect(errors, bad).toHaveLength(1)
      expect(value).toBe('')
    }
  })

  test('the words of a hole that cannot be compiled (ids in the core, words in the config messages)', () => {
    expect(words(run('{{ window.x }}').errors[0])).toBe('cannot evaluate {{ window.x }}: "window.x" must start with client., system. or variables.')
    expect(words(run('{{ client.a + 1 }}').errors[0])).toBe(
      'cannot evaluate {{ client.a + 1 }}: "client.a + 1" is not a supported expression (paths like client.name are)',
    )
  })

  test('prototype properties are never read', () => {
    expect(run('{{ client.constructor }}').value).toBeUndefined()
    expect(run('{{ client.plan.length }}').value).toBeUndefined()
  })

  test('compileValue walks objects and arrays', () => {
    const t = compileValue({ a: '{{ client.plan }}', list: ['{{ client.n }}', 1], flag: true }, () => undefined)
    expect(t(scope)).toEqual({ a: 'pro', list: [3, 1], flag: true })
  })

  test('parsePath splits keys', () => {
    expect(parsePath('client.`a.b`.c')).toEqual(['client', 'a.b', 'c'])
  })
})
