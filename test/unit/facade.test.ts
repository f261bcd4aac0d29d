import { beforeEach, describe, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'
import { copyFlat } from '../../src/facade/validate'

beforeEach(resetPage)

const config = { settings: { ecommerce: true }, tools: { c: httpTool() } }

describe('zaraz.track()', () => {
  test('returns a promise at once and sends the event with its properties', async () => {
    const { zaraz, transport } = setup(config)
    const p = zaraz.track('signup', { plan: 'pro', seats: 3, tags: ['a'] })
    expect(p).toBeInstanceOf(Promise)
    expect(transport.requests).toHaveLength(0)
    await p
    expect(transport.requests[0].json).toEqual({ event: 'signup', plan: 'pro', seats: 3, tags: ['a'] })
  })

  test('properties are taken as they were at call time', async () => {
    const { zaraz, transport } = setup(config)
    const props = { step: 1 }
    const p = zaraz.track('step', props)
    props.step = 2
    await p
    expect(transport.requests[0].json).toMatchObject({ step: 1 })
  })

  test('events reach tools in call order', async () => {
    const { zaraz, transport } = setup(config)
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => zaraz.track(n)))
    expect(transport.requests.map((r) => (r.json as { event: string }).event)).toEqual(['a', 'b', 'c', 'd'])
  })

  test.each([
    ['a number', 42],
    ['an empty string', ''],
    ['whitespace', '   '],
    ['undefined', undefined],
    ['an object', { name: 'x' }],
  ])('a name that is %s is rejected with a TypeError and one warning', async (_, name) => {
    const { zaraz, transport, console } = setup(config)
    await expect(zaraz.track(name as string)).rejects.toThrow(TypeError)
    await expect(zaraz.track(name as string)).rejects.toThrow(/non-empty string as the event name/)
    expect(console.count('warn')).toBe(2)
    await zaraz.track('after')
    expect(transport.requests).toHaveLength(1)
  })

  test.each([
    ['a string', 'plan'],
    ['an array', [1, 2]],
    ['null', null],
    ['a number', 5],
  ])('properties that are %s are rejected with a TypeError', async (_, props) => {
    const { zaraz, console } = setup(config)
    await expect(zaraz.track('x', props as never)).rejects.toThrow(/expects an object of properties/)
    expect(console.count('warn')).toBe(1)
  })

  test('cyclic properties are rejected and the next good call still works', async () => {
    const { zaraz, transport } = setup(config)
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    await expect(zaraz.track('x', cyclic)).rejects.toThrow(/JSON-serialisable/)
    await expect(zaraz.track('x', { n: BigInt(1) })).rejects.toThrow(TypeError)
    await zaraz.track('ok', { a: 1 })
    expect(transport.requests.map((r) => r.json)).toEqual([{ event: 'ok', a: 1 }])
  })

  test('functions, symbols and undefined values are dropped, dates become ISO strings', async () => {
    const { zaraz, transport } = setup(config)
    await zaraz.track('x', { f: () => 1, s: Symbol('s'), u: undefined, d: new Date(0), keep: true })
    expect(transport.requests[0].json).toEqual({ event: 'x', d: '1970-01-01T00:00:00.000Z', keep: true })
  })

  test('a __proto__ property does not pollute prototypes', async () => {
    const { zaraz, transport } = setup(config)
    await zaraz.track('x', JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(transport.requests[0].json).toEqual({ event: 'x', ok: 1 })
  })

  test('a flat object is copied exactly as a JSON round trip would give it, and anything else is left to JSON', () => {
    const roundTrip = (v: object) => JSON.parse(JSON.stringify(v))
    const flat: object[] = [
      {},
      { plan: 'pro', seats: 3, ok: true, none: null },
      { nan: NaN, inf: -Infinity, neg: -0, f: () => 1, s: Symbol('s'), u: undefined, big: 1e21 },
      { 2: 'b', 1: 'a', z: 'z', a: 'a' },
      Object.assign(Object.create({ inherited: 1 }), { own: 'x' }),
    ]
    for (const v of flat) {
      const copy = copyFlat(v)
      expect(copy).not.toBe(v)
      expect(JSON.stringify(copy)).toBe(JSON.stringify(roundTrip(v)))
      expect(copy).toStrictEqual(roundTrip(v))
    }
    const getterThrows = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('no') } })
    const others: object[] = [
      { nested: { a: 1 } },
      { list: [1] },
      { d: new Date(0) },
      { toJSON: () => 'x' },
      JSON.parse('{"__proto__": 1}'),
      { long: 'x'.repeat(200_000) },
      { n: BigInt(1) },
      getterThrows,
    ]
    for (const v of others) expect(copyFlat(v)).toBeUndefined()
  })

  test('a caller mutating its flat object after the call changes nothing', async () => {
    const { zaraz, transport } = setup(config)
    const props: Record<string, unknown> = { a: 1, b: 'x' }
    const p = zaraz.track('x', props)
    props.a = 2
    props.c = 3
    delete props.b
    await p
    expect(transport.requests[0].json).toEqual({ event: 'x', a: 1, b: 'x' })
  })

  test('resolves to the return values of the tools', async () => {
    const { zaraz } = setup({
      tools: { t1: { component: 'answers', automatedActions: { track: true } } },
    }, { tools: { answers: (m) => void m.addEventListener('event', (e) => e.client.return({ got: e.name })) } })
    await expect(zaraz.track('hello')).resolves.toEqual({ return: { t1: { got: 'hello' } } })
  })
})

describe('zaraz.ecommerce()', () => {
  test('is a track marked as e-commerce, with the parameters under ecommerce', async () => {
    const { zaraz, transport } = setup(config)
    const params = { order_id: 'o1', total: 30, products: [{ product_id: 'p', price: 10, quantity: 3 }] }
    await zaraz.ecommerce('Order Completed', params)
    expect(transport.requests[0].json).toEqual({ event: 'Order Completed', name: 'Order Completed', ecommerce: params })
  })

  test('does not change the caller’s object', async () => {
    const { zaraz } = setup(config)
    const params = { order_id: 'o1' }
    await zaraz.ecommerce('Order Completed', params)
    expect(params).toEqual({ order_id: 'o1' })
  })

  test('is not an "all other events" track', async () => {
    const { zaraz, transport } = setup({ settings: { ecommerce: true }, tools: { c: httpTool({ settings: { ecommerce: false }, automatedActions: { track: true, ecommerce: false } }) } })
    await zaraz.ecommerce('Product Added', { product_id: 'p' })
    expect(transport.requests).toHaveLength(0)
  })

  test('bad input is rejected with a TypeError', async () => {
    const { zaraz } = setup(config)
    await expect(zaraz.ecommerce('' as never)).rejects.toThrow(TypeError)
    await expect(zaraz.ecommerce('Product Added', 'x' as never)).rejects.toThrow(/object of properties/)
  })
})

describe('zaraz.spaPageview()', () => {
  test('sends a Pageview with the new URL and the previous URL as referrer', async () => {
    const { zaraz, transport } = setup({ tools: { c: httpTool({ defaultFields: { ...httpTool().defaultFields, __includeSystemProperties: true } }) } })
    const first = location.href
    history.pushState({}, '', '/next?x=1')
    await zaraz.spaPageview()
    const body = transport.requests[0].json as { event: string; system: { page: { url: { pathname: string }; referrer: string } } }
    expect(body.event).toBe('Pageview')
    expect(body.system.page.url.pathname).toBe('/next')
    expect(body.system.page.referrer).toBe(first)
    history.pushState({}, '', first)
  })
})

describe('zaraz.registerTool()', () => {
  test('bad arguments warn and change nothing', () => {
    const { zaraz, console } = setup(config)
    expect(() => zaraz.registerTool(1 as never, (() => undefined) as never)).not.toThrow()
    expect(() => zaraz.registerTool('x', 'nope' as never)).not.toThrow()
    expect(console.count('warn')).toBe(2)
    expect(String(console.lines[0].args[1])).toBe('zaraz.registerTool() expects a non-empty string as the component name, got number')
  })
})

describe('zaraz.set() warnings', () => {
  test('name what the key or the scope was instead', () => {
    const { zaraz, console } = setup(config)
    zaraz.set('' as never, 1)
    zaraz.set(null as never, 1)
    zaraz.set('k', 1, { scope: 'forever' as never })
    const said = console.lines.filter((l) => l.level == 'warn').map((l) => String(l.args[1]))
    expect(said).toEqual([
      'zaraz.set() expects a non-empty string as the key, got ""',
      'zaraz.set() expects a non-empty string as the key, got null',
      'zaraz.set() expects scope "page", "session" or "persist", got "forever"',
    ])
  })
})

describe('zaraz.debug()', () => {
  test('sets and clears the zarazDebug cookie and reloads', () => {
    let reloads = 0
    const { zaraz } = setup(config, { env: { reload: () => void reloads++ } })
    zaraz.debug('k1')
    expect(document.cookie).toContain('zarazDebug=k1')
    zaraz.debug()
    expect(document.cookie).not.toContain('zarazDebug')
    expect(reloads).toBe(2)
  })

  test('a key that is not the config\'s debugKey says on the console why no panel will show, without echoing a key', () => {
    const warnings = (cfg: object, key?: string) => {
      const { zaraz, console } = setup(cfg, { env: { reload: () => undefined } })
      zaraz.debug(key)
      return console.lines.filter((l) => l.level == 'warn').map((l) => l.args.join(' '))
    }
    expect(warnings({ ...config, debugKey: 'right' }, 'wrong-key')).toEqual([expect.stringContaining("not this config's debugKey; no debugger panel will show")])
    expect(warnings({ ...config, debugKey: 'right' }, 'wrong-key')[0]).not.toMatch(/right|wrong-key/)
    expect(warnings(config, 'k1')).toEqual([expect.stringContaining('this config has no debugKey; no debugger panel will show')])
    expect(warnings({ ...config, debugKey: 'right' }, 'right')).toEqual([])
    expect(warnings({ ...config, debugKey: 'right' })).toEqual([])
  })
})

describe('an invalid config', () => {
  test('keeps the runtime inert, names the bad path, and never throws into the page', async () => {
    const { zaraz, transport, console } = setup({ tools: { c: { ...httpTool(), actions: { a: { actionType: 'event', firingTriggers: ['nope'] } } } } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: {} })
    expect(transport.requests).toHaveLength(0)
    expect(String(console.lines.find((l) => l.level == 'error')?.args[1])).toContain('tools.c.actions.a.firingTriggers[0]: unknown trigger "nope"')
  })

  test.each([null, 'config', 42, []])('a config that is not an object (%s) is reported', async (bad) => {
    const { zaraz, console } = setup(bad)
    await expect(zaraz.track('x')).resolves.toEqual({ return: {} })
    expect(String(console.lines.find((l) => l.level == 'error')?.args[1])).toContain('the config must be an object')
  })
})
