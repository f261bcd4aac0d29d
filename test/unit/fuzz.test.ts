// Seeded fuzzing of every public method: random and hostile values, no exception escapes into
// the page (except the TypeErrors Zaraz documents for consent.set and consent.setAll, see
// docs/consent.md), and the runtime still routes the next valid event.
import { beforeEach, describe, expect, test } from 'vitest'
import { httpTool, resetPage, seededRandom, setup } from './helpers'

function values(random: () => number) {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]
  /** Everything the caller's own getters and traps throw. */
  const thrown = new Set<unknown>()
  const thrower = () => {
    const e = pick<() => unknown>([() => new Error('boom'), () => Symbol('thrown'), () => 'a string', () => null, () => ({ get message() { throw new Error('no message') } })])()
    thrown.add(e)
    return e
  }
  const leaf = (): unknown =>
    pick<() => unknown>([
      () => undefined,
      () => null,
      () => random() < 0.5,
      () => random() * 1e6 - 5e5,
      () => pick([NaN, Infinity, -0, Number.MAX_SAFE_INTEGER]),
      () => BigInt(Math.floor(random() * 100)),
      () => Symbol('s'),
      () => () => 1,
      () => '',
      () => 'Pageview',
      () => '__proto__',
      () => 'x'.repeat(Math.floor(random() * 2000)),
      () => String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(random() * 0xffff))),
      () => new Date(random() * 1e12),
      () => document.createElement('div'),
      () => ({ get boom() { throw thrower() } }),
      () => ({ toJSON() { throw thrower() } }),
      () => new Proxy({}, { get() { throw thrower() }, ownKeys() { throw thrower() }, getOwnPropertyDescriptor() { throw thrower() } }),
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {})
        revoke()
        return proxy
      },
      () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
    ])()
  const value = (depth = 0): unknown => {
    const r = random()
    if (depth > 3 || r < 0.5) return leaf()
    if (r < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))
    if (r < 0.7) {
      const c: Record<string, unknown> = {}
      c.self = c
      return c
    }
    const o: Record<string, unknown> = {}
    // Own properties, as JSON.parse makes them (so `__proto__` is a key, not a prototype).
    for (let i = Math.floor(random() * 4); i > 0; i--)
      Object.defineProperty(o, pick(['a', 'b', '__proto__', 'constructor', 'prototype', 'scope', 'n']), { value: value(depth + 1), enumerable: true, writable: true, configurable: true })
    return o
  }
  return { value, pick, thrown }
}

const CONSENT = { enabled: true, hideModal: true, purposes: { ads: { name: 'Advertising', description: 'Ads' } } }

describe('fuzzing the public API', () => {
  beforeEach(resetPage)

  test.each([1, 2, 3, 4, 5])('seed %i: 400 random calls, nothing escapes, the next valid event is routed', async (seed) => {
    const { zaraz, transport, clock } = setup(
      { debugKey: 'k', consent: CONSENT, settings: { ecommerce: true }, tools: { c: httpTool() } },
      { env: { reload: () => undefined } },
    )
    const random = seededRandom(seed)
    const { value, pick } = values(random)
    const say = (e: unknown) => {
      try {
        return String((e as Error)?.message ?? e)
      } catch {
        return 'an unreadable value'
      }
    }
    const z = zaraz as unknown as Record<string, (...a: unknown[]) => unknown> & { consent: Record<string, unknown> }
    const methods: Array<[string, (...a: unknown[]) => unknown]> = ['track', 'ecommerce', 'set', 'spaPageview', 'registerTool', 'debug', 'showConsentModal']
      .filter((m) => typeof z[m] == 'function')
      .map((m) => [m, (...a: unknown[]) => z[m](...a)])
    for (const k of Object.keys(z.consent ?? {}))
      if (typeof z.consent[k] == 'function') methods.push([`consent.${k}`, (...a: unknown[]) => (z.consent[k] as (...a: unknown[]) => unknown)(...a)])
    expect(methods.map(([m]) => m)).toEqual(expect.arrayContaining(['track', 'ecommerce', 'set', 'spaPageview', 'registerTool', 'debug']))

    const escaped: string[] = []
    for (let i = 0; i < 400; i++) {
      const [name, call] = pick(methods)
      const args = Array.from({ length: Math.floor(random() * 4) }, () => value())
      try {
        const out = call(...args)
        if (out && typeof (out as Promise<unknown>).then == 'function')
          (out as Promise<unknown>).then(undefined, (e) => {
            if (!(e instanceof TypeError)) escaped.push(`${name} rejected with ${say(e)}`)
          })
      } catch (e) {
        // Zaraz documents TypeErrors from consent.set and consent.setAll (docs/consent.md); nothing
        // else in the API ever throws.
        const documented = (name == 'consent.set' || name == 'consent.setAll') && e instanceof TypeError
        if (!documented) escaped.push(`${name} threw ${say(e)}`)
      }
    }
    for (let i = 0; i < 20; i++) {
      clock.advance(10_000)
      await Promise.resolve()
    }
    transport.clear()
    const probe = zaraz.track('probe', { ok: 1 })
    // Up to 100 turns (it stops at the first request): a lazy file a random call asked for (the
    // modal, the bridges) is a dynamic import, which a loaded machine may take many turns to finish.
    for (let i = 0; i < 100 && !transport.requests.length; i++) {
      clock.advance(10_000)
      await new Promise((r) => setTimeout(r, 0))
    }
    await probe
    expect(escaped).toEqual([])
    expect(transport.requests.map((r) => r.json)).toContainEqual(expect.objectContaining({ event: 'probe', ok: 1 }))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
