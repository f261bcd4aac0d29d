// Hostile input at the page-facing API: each kind of value has a documented treatment
// (docs/delivery.md, "Hostile input"), nothing throws into the page, nothing pollutes a prototype.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { httpTool, resetPage, setup } from './helpers'

const config = { settings: { ecommerce: true }, tools: { c: httpTool() } }

/** Calls `fn`; fails the test if it throws synchronously. Returns its promise settled as a value. */
async function settled(fn: () => unknown): Promise<{ ok: boolean; error?: unknown }> {
  let p: unknown
  expect(() => (p = fn())).not.toThrow()
  try {
    await p
    return { ok: true }
  } catch (error) {
    return { ok: false, error }
  }
}

describe('hostile input', () => {
  beforeEach(resetPage)
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('__proto__ and constructor keys never pollute a prototype, in properties or in set values', async () => {
    const { zaraz, transport } = setup(config)
    const evil = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "ok": 1}')
    zaraz.set('__proto__', JSON.parse('{"polluted": 1}'), { scope: 'page' })
    zaraz.set('constructor', { prototype: { polluted: 1 } }, { scope: 'page' })
    expect(await settled(() => zaraz.track('evil', evil))).toEqual({ ok: true })
    expect(await settled(() => zaraz.ecommerce('Product Added', evil))).toEqual({ ok: true })
    const sent = transport.requests.map((r) => r.json as Record<string, unknown>)
    expect(sent[0]).toMatchObject({ event: 'evil', ok: 1 })
    for (const body of sent) expect(Object.getPrototypeOf(body)).toBe(Object.prototype)
  })

  test('cycles, BigInt, throwing getters, throwing toJSON and revoked Proxies are refused with a TypeError', async () => {
    const { zaraz, transport } = setup(config)
    const cyclic: Record<string, unknown> = {}
    cyclic.me = cyclic
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const cases: unknown[] = [
      cyclic,
      { n: BigInt(1) },
      { get a() { throw new Error('boom') } },
      { get a() { throw Symbol('not an error') } },
      { a: { toJSON() { throw 'a string' } } },
      { p: proxy },
      new Proxy({}, { ownKeys() { throw new Error('trap') } }),
    ]
    for (const props of cases) {
      const r = await settled(() => zaraz.track('x', props as Record<string, unknown>))
      expect(r.ok).toBe(false)
      expect(r.error).toBeInstanceOf(TypeError)
    }
    await zaraz.track('after')
    expect(transport.requests.map((r) => (r.json as { event: string }).event)).toEqual(['after'])
  })

  test('functions, symbols and undefined values are dropped; symbol keys are ignored; Dates become strings', async () => {
    const { zaraz, transport } = setup(config)
    await zaraz.track('x', { f: () => 1, s: Symbol('s'), u: undefined, [Symbol('k')]: 1, d: new Date(0), keep: 'yes' })
    expect(transport.requests[0].json).toEqual({ event: 'x', d: '1970-01-01T00:00:00.000Z', keep: 'yes' })
  })

  test('a DOM node becomes its own enumerable properties, or is refused when they cannot be serialised', async () => {
    const { zaraz, transport } = setup(config)
    const r = await settled(() => zaraz.track('node', { el: document.body }))
    if (r.ok) expect(transport.requests[0].json).toMatchObject({ event: 'node' })
    else expect(r.error).toBeInstanceOf(TypeError)
    await zaraz.track('after')
    expect(transport.requests.some((q) => (q.json as { event: string }).event == 'after')).toBe(true)
  })

  test('properties over 1,000,000 characters of JSON are refused; just under is accepted', async () => {
    const { zaraz } = setup(config)
    const huge = await settled(() => zaraz.track('x', { s: 'x'.repeat(1_000_000) }))
    expect(huge.ok).toBe(false)
    expect(String((huge.error as Error).message)).toContain('at most 1000000 characters')
    expect((await settled(() => zaraz.track('x', { s: 'x'.repeat(999_000) }))).ok).toBe(true)
  })

  test('deep nesting: deeper than the engine can serialise is refused, 1,000 levels are routed', async () => {
    const { zaraz, transport } = setup(config)
    const nest = (depth: number) => {
      let o: Record<string, unknown> = { leaf: true }
      for (let i = 0; i < depth; i++) o = { o }
      return o
    }
    const deep = await settled(() => zaraz.track('deep', nest(1_000_000)))
    expect(deep.ok).toBe(false)
    expect(deep.error).toBeInstanceOf(TypeError)
    expect((await settled(() => zaraz.track('nested', nest(1000)))).ok).toBe(true)
    expect(transport.requests.map((r) => (r.json as { event: string }).event)).toEqual(['nested'])
  })

  test('bad names, hostile options and hostile tools never throw', async () => {
    const { zaraz } = setup(config)
    const throwing = new Proxy({}, { get() { throw Symbol('trap') } })
    for (const name of [Symbol('n'), throwing, { toString() { throw new Error('x') } }])
      expect((await settled(() => zaraz.track(name as unknown as string))).ok).toBe(false)
    expect(() => zaraz.set('k', 1, throwing as never)).not.toThrow()
    expect(() => zaraz.set(throwing as never, 1)).not.toThrow()
    expect(() => zaraz.registerTool(throwing as never, throwing as never)).not.toThrow()
    expect(() => zaraz.debug(throwing as never)).not.toThrow()
  })
})
