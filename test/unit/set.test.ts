import { beforeEach, describe, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'
import { createValueStore } from '../../src/facade/store'
import { hintedStorage, STORAGE_HINT } from '../../src/platform/env'

beforeEach(resetPage)

const config = { tools: { c: httpTool() } }

describe('zaraz.set()', () => {
  test('persist is the default scope and is stored in localStorage as JSON under _zaraz_<key>', () => {
    const { zaraz } = setup(config)
    zaraz.set('user', { id: 7 })
    expect(localStorage.getItem('_zaraz_user')).toBe('{"id":7}')
  })

  test('session values go to sessionStorage, page values stay in memory', () => {
    const { zaraz } = setup(config)
    zaraz.set('s', 'one', { scope: 'session' })
    zaraz.set('p', 'two', { scope: 'page' })
    expect(sessionStorage.getItem('_zaraz_s')).toBe('"one"')
    expect(localStorage.getItem('_zaraz_p')).toBeNull()
    expect(sessionStorage.getItem('_zaraz_p')).toBeNull()
  })

  test('values are merged into every event: persist < session < page < call properties', async () => {
    const { zaraz, transport } = setup(config)
    zaraz.set('k', 'persist')
    zaraz.set('k', 'session', { scope: 'session' })
    zaraz.set('only_persist', 1)
    await zaraz.track('a')
    zaraz.set('k', 'page', { scope: 'page' })
    await zaraz.track('b')
    await zaraz.track('c', { k: 'call' })
    expect(transport.requests.map((r) => r.json)).toEqual([
      { event: 'a', k: 'session', only_persist: 1 },
      { event: 'b', k: 'page', only_persist: 1 },
      { event: 'c', k: 'call', only_persist: 1 },
    ])
  })

  test('e-commerce: the payload\'s ecommerce is exactly the call\'s parameters; set values reach it only through templates', async () => {
    // Zaraz's e-commerce payload is the call's parameters (what vendors map field by field); a `set`
    // value is still `client.<key>` for triggers and the tool's fields.
    const tool = httpTool({ defaultFields: { ...httpTool().defaultFields, variant: '{{ client.ab }}' } })
    const { zaraz, transport } = setup({ settings: { ecommerce: true }, tools: { c: tool } })
    zaraz.set('ab', 'B', { scope: 'page' })
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1', total: 5 })
    await zaraz.track('signup')
    expect(transport.requests.map((r) => r.json)).toEqual([
      { event: 'Order Completed', variant: 'B', name: 'Order Completed', ecommerce: { order_id: 'o-1', total: 5 } },
      { event: 'signup', variant: 'B', ab: 'B' },
    ])
  })

  test('a value set after a track call does not change that event', async () => {
    const { zaraz, transport } = setup(config)
    const p = zaraz.track('a')
    zaraz.set('late', true)
    await p
    expect(transport.requests[0].json).toEqual({ event: 'a' })
  })

  test('undefined removes the key from every scope', async () => {
    const { zaraz, transport } = setup(config)
    zaraz.set('k', 1)
    zaraz.set('k', 2, { scope: 'session' })
    zaraz.set('k', 3, { scope: 'page' })
    zaraz.set('k', undefined)
    expect(localStorage.getItem('_zaraz_k')).toBeNull()
    expect(sessionStorage.getItem('_zaraz_k')).toBeNull()
    await zaraz.track('a')
    expect(transport.requests[0].json).toEqual({ event: 'a' })
  })

  test('values saved on an earlier page view are read back', async () => {
    const earlier = setup(config).zaraz
    earlier.set('plan', 'gold')
    earlier.set('cart', 2, { scope: 'session' })
    const { zaraz, transport } = setup(config)
    await zaraz.track('a')
    expect(transport.requests[0].json).toEqual({ event: 'a', plan: 'gold', cart: 2 })
  })

  test('Web Storage is not touched at start-up until tagrelay has written there on this site', async () => {
    // Stored by something else than tagrelay: no hint cookie, so not read (and storage not touched).
    localStorage.setItem('_zaraz_plan', '"gold"')
    const touched: string[] = []
    const page = new Proxy(window, {
      get(w, k) {
        if (k == 'localStorage' || k == 'sessionStorage') touched.push(k)
        const v = Reflect.get(w, k, w)
        return typeof v == 'function' && k != 'Object' ? v.bind(w) : v
      },
    })
    const run = () => setup(config, { env: { window: page as Window & typeof globalThis, localStorage: hintedStorage(page, 'localStorage'), sessionStorage: hintedStorage(page, 'sessionStorage') } })
    const first = run()
    await first.zaraz.track('a')
    expect(touched).toEqual([])
    expect(first.transport.requests[0].json).toEqual({ event: 'a' })
    // The first write sets the hint; the next page view reads storage again.
    first.zaraz.set('plan', 'platinum')
    expect(document.cookie).toContain(`${STORAGE_HINT}=1`)
    const next = run()
    await next.zaraz.track('b')
    expect(next.transport.requests[0].json).toEqual({ event: 'b', plan: 'platinum' })
  })

  test('page values are cleared by an SPA pageview', async () => {
    const { zaraz, transport } = setup(config)
    zaraz.set('p', 1, { scope: 'page' })
    zaraz.set('s', 1, { scope: 'session' })
    await zaraz.spaPageview()
    await zaraz.track('after')
    expect(transport.requests[1].json).toEqual({ event: 'after', s: 1 })
  })

  test('bad arguments warn once each and store nothing; set never throws', () => {
    const { zaraz, console } = setup(config)
    const cyclic: Record<string, unknown> = {}
    cyclic.c = cyclic
    expect(() => {
      zaraz.set('', 1)
      zaraz.set(5 as never, 1)
      zaraz.set('k', 1, { scope: 'forever' as never })
      zaraz.set('k', cyclic)
      zaraz.set('k', () => 1)
    }).not.toThrow()
    expect(console.count('warn')).toBe(5)
    expect(localStorage.length).toBe(0)
  })
})

describe('the value store', () => {
  test('keeps working in memory when storage throws', () => {
    const broken = { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('quota') }, removeItem: () => undefined, key: () => null, length: 0 } as unknown as Storage
    const store = createValueStore(broken, broken)
    store.set('a', 1, 'persist')
    expect(store.snapshot()).toEqual({ a: 1 })
  })

  test('a snapshot is not changed by later sets', () => {
    const store = createValueStore()
    store.set('a', 1, 'page')
    const snap = store.snapshot()
    store.set('a', 2, 'page')
    expect(snap).toEqual({ a: 1 })
    expect(store.snapshot()).toEqual({ a: 2 })
  })
})
