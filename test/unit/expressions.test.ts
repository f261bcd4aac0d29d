import { describe, expect, test } from 'vitest'
import { compileExpression } from '../../src/expressions/index'
import { compileTemplate } from '../../src/router/template'
import { describe as words } from '../../src/config/messages'

const scope = {
  client: {
    name: '  Ada Lovelace ',
    plan: 'Pro',
    price: 12.5,
    qty: '3',
    email: 'ada@example.com',
    tags: ['a', 'b'],
    products: [
      { id: 'p1', price: 10, quantity: 2 },
      { id: 'p2', price: 5.5, quantity: 1 },
    ],
    'odd key': 'odd',
  },
  system: { page: { url: { pathname: '/shop/item', href: 'https://x.example/shop/item?a=1' } }, device: { 'user-agent': { browser: { name: 'Chrome' } } } },
  variables: { currency: 'EUR' },
}

const ev = (src: string) => compileExpression(src)(scope)

describe('template expressions (the JSONata subset)', () => {
  test.each([
    ["client.plan & '-' & variables.currency", 'Pro-EUR'],
    ['$lowercase(client.plan)', 'pro'],
    ['$uppercase(client.plan)', 'PRO'],
    ['$trim(client.name)', 'Ada Lovelace'],
    ['$length(client.plan)', 3],
    ['$substring(client.email, 0, 3)', 'ada'],
    ['$substring(client.email, -11)', 'example.com'],
    ["$substringBefore(client.email, '@')", 'ada'],
    ["$substringAfter(client.email, '@')", 'example.com'],
    ["$contains(system.page.url.pathname, '/shop')", true],
    ["$replace(system.page.url.pathname, '/', '_')", '_shop_item'],
    ["$split('a,b,c', ',')", ['a', 'b', 'c']],
    ["$join(client.tags, '|')", 'a|b'],
    ['$number(client.qty) * client.price', 37.5],
    ['client.price * 2 + 1', 26],
    ['client.price - 2.5', 10],
    ['(client.price + 0.5) / 2', 6.5],
    ['7 % 4', 3],
    ['-client.price', -12.5],
    ['$round(2.5)', 2],
    ['$round(3.5)', 4],
    ['$round(1.2345, 2)', 1.23],
    ['$floor(2.7)', 2],
    ['$ceil(2.1)', 3],
    ['$abs(-4)', 4],
    ['$sum(client.products.price)', 15.5],
    ['$count(client.products)', 2],
    ['$max(client.products.price)', 10],
    ['$average(client.products.quantity)', 1.5],
    ['client.products[0].id', 'p1'],
    ['client.products[-1].id', 'p2'],
    ['client.products[price > 6].id', 'p1'],
    ['client.products.id', ['p1', 'p2']],
    ["client.plan = 'Pro'", true],
    ["client.plan != 'Pro'", false],
    ["client.price > 10 and client.plan = 'Pro'", true],
    ['client.price < 10 or client.missing', false],
    ["client.price > 10 ? 'big' : 'small'", 'big'],
    ["client.missing ? 'yes'", undefined],
    ['$exists(client.missing)', false],
    ['$string(client.price)', '12.5'],
    ['$boolean(client.tags)', true],
    ['$not(client.missing)', true],
    ['client.`odd key`', 'odd'],
    ['system.device.user-agent.browser.name', 'Chrome'],
    ["$lookup(client, 'plan')", 'Pro'],
    ["$encodeUrlComponent('a b&c')", 'a%20b%26c'],
    ["\"double \\\"quoted\\\"\" & 'x'", 'double "quoted"x'],
    ['client.missing & "x"', 'x'],
    ['client.missing + 1', undefined],
    ['$lowercase(client.missing)', undefined],
  ])('%s → %j', (src, expected) => {
    expect(ev(src)).toEqual(expected)
  })

  test.each([
    ['client.plan +', /unexpected end/],
    ['$nope(client.plan)', /unknown function \$nope/],
    ['window.location', /must be client, system or variables/],
    ['client.plan )', /unexpected "\)"/],
    ['(client.plan', /expected "\)"/],
    ['client.#', /unexpected "#"/],
  ])('%s is refused at compile time', (src, message) => {
    expect(() => compileExpression(src)).toThrow(message)
  })

  test('a template mixes text, paths and expressions', () => {
    const errors: string[] = []
    const t = compileTemplate('{{ client.plan }}/{{ $lowercase(client.plan) }}/{{ client.price * 2 }}', (m) => errors.push(m), { expression: compileExpression })
    expect(t(scope)).toBe('Pro/pro/25')
    expect(errors).toEqual([])
  })

  test('without the engine an expression is noted, not reported, so the runtime can load the engine', () => {
    const errors: string[] = []
    let needed = 0
    compileTemplate('{{ $lowercase(client.plan) }}', (m) => errors.push(m), { needsEngine: () => void needed++ })
    expect(needed).toBe(1)
    expect(errors).toEqual([])
  })

  test('an unsupported expression is a config error naming the field', () => {
    const errors: string[] = []
    compileTemplate('{{ $eval("1") }}', (m) => errors.push(words(m)), { expression: compileExpression })
    expect(errors).toEqual(['cannot evaluate {{ $eval("1") }}: unknown function $eval'])
  })
})

describe('review: $round matches JSONata on decimal prices', () => {
  // JSONata shifts the decimal point in the number's text, not by multiplying (2.675 * 100 is 267.49999…).
  test.each([
    ['$round(2.675, 2)', 2.68],
    ['$round(1.255, 2)', 1.26],
    ['$round(-2.675, 2)', -2.68],
    ['$round(0.125, 2)', 0.12],
    ['$round(1.005, 2)', 1],
    ['$round(1234.5, -2)', 1200],
    ['$round(-0.4)', 0],
  ])('%s → %s', (src, expected) => {
    expect(Object.is(ev(src), expected)).toBe(true)
  })
})

describe('review: a hyphen before a digit is subtraction in every template (docs/config.md)', () => {
  test('{{ client.a-1 }} subtracts, also when the core could have read it as a path', () => {
    const s = { client: { a: 5, 'a-1': 'not this key' }, system: {}, variables: {} }
    const errors: string[] = []
    expect(compileTemplate('{{ client.a-1 }}', (m) => errors.push(m), { expression: compileExpression })(s)).toBe(4)
    let needed = 0
    compileTemplate('{{ client.a-1 }}', (m) => errors.push(m), { needsEngine: () => void needed++ })
    expect(needed).toBe(1)
    expect(errors).toEqual([])
  })
})

describe('review: numbers become text the way JSONata writes them (15 significant digits)', () => {
  test.each([
    ["0.1 + 0.2 & ' EUR'", '0.3 EUR'],
    ['$string(0.1 * 3)', '0.3'],
  ])('%s', (src, expected) => {
    expect(ev(src)).toBe(expected)
  })
  test('inside objects too', () => {
    expect(compileExpression('$string(client.o)')({ client: { o: { a: 0.1 + 0.2 } }, system: {}, variables: {} })).toBe('{"a":0.3}')
  })
  test('a JSON escape such as \\b or \\f in a string literal is the character it stands for', () => {
    expect(ev('"a\\bc\\fd"')).toBe('a\bc\fd')
  })
})
