import { beforeEach, describe, expect, test, vi } from 'vitest'
import { createClientKV } from '../../src/tools/host/client-kv'
import { createCookieJar, registrableDomain } from '../../src/tools/host/cookie-jar'
import { createFakeClock } from '../../src/testing/index'
import { resetPage, recordingStorage as recording, cookieOwner } from './helpers'

/** `s`, recording the name of every method called on it into `used`. */

beforeEach(resetPage)

/** A KV store over the page's storages, as the runtime builds it. */
const kv = (clock = createFakeClock()) => ({ clock, store: createClientKV(clock, localStorage, sessionStorage) })

/** Storage that throws on every write, as a full or blocked one does. */
const fullStorage = (): Storage => {
  const s = new Map<string, string>()
  return {
    get length() {
      return s.size
    },
    clear: () => s.clear(),
    key: (i) => [...s.keys()][i] ?? null,
    getItem: (k) => s.get(k) ?? null,
    setItem: () => {
      throw new DOMException('quota', 'QuotaExceededError')
    },
    removeItem: (k) => void s.delete(k),
  }
}

describe('scopes', () => {
  test('the default scope is infinite: the value outlives the page, in localStorage', () => {
    const { clock, store } = kv()
    expect(store.set('t', 'cid', 'abc')).toBe(true)
    expect(store.get('t', 'cid')).toBe('abc')
    expect(localStorage.length).toBe(1)
    expect(sessionStorage.length).toBe(0)
    // The next page view builds a new store over the same storage.
    expect(createClientKV(clock, localStorage, sessionStorage).get('t', 'cid')).toBe('abc')
  })

  test('page scope keeps the value in memory only', () => {
    const { clock, store } = kv()
    store.set('t', 'k', 'v', { scope: 'page' })
    expect(store.get('t', 'k')).toBe('v')
    expect(localStorage.length + sessionStorage.length).toBe(0)
    expect(createClientKV(clock, localStorage, sessionStorage).get('t', 'k')).toBeUndefined()
  })

  test('session scope keeps the value in sessionStorage', () => {
    const { clock, store } = kv()
    store.set('t', 'k', 'v', { scope: 'session' })
    expect(store.get('t', 'k')).toBe('v')
    expect(sessionStorage.length).toBe(1)
    expect(localStorage.length).toBe(0)
    expect(createClientKV(clock, localStorage, sessionStorage).get('t', 'k')).toBe('v')
  })

  test('setting a key in another scope replaces the value instead of hiding behind it', () => {
    const { store } = kv()
    store.set('t', 'k', 'page', { scope: 'page' })
    store.set('t', 'k', 'forever', { scope: 'infinite' })
    expect(store.get('t', 'k')).toBe('forever')
    store.set('t', 'k', 'session', { scope: 'session' })
    expect(store.get('t', 'k')).toBe('session')
    expect(localStorage.length).toBe(0)
  })

  test('values are kept as strings', () => {
    const { store } = kv()
    store.set('t', 'n', 42 as unknown as string)
    expect(store.get('t', 'n')).toBe('42')
    store.set('t', 'empty', '')
    expect(store.get('t', 'empty')).toBe('')
  })
})

describe('namespaces', () => {
  test('each tool has its own keys', () => {
    const { store } = kv()
    store.set('a', 'id', '1')
    store.set('b', 'id', '2')
    expect([store.get('a', 'id'), store.get('b', 'id'), store.get('c', 'id')]).toEqual(['1', '2', undefined])
  })

  test('a tool id with an underscore does not collide with another tool’s key', () => {
    const { store } = kv()
    store.set('ga', 'x_y', 'ga’s value')
    store.set('ga_x', 'y', 'ga_x’s value')
    expect(store.get('ga', 'x_y')).toBe('ga’s value')
    expect(store.get('ga_x', 'y')).toBe('ga_x’s value')
    store.set('ga', 'x_y', null)
    expect(store.get('ga_x', 'y')).toBe('ga_x’s value')
  })
})

describe('deleting', () => {
  test('null or undefined deletes the key from every scope', () => {
    const { store } = kv()
    for (const scope of ['page', 'session', 'infinite'] as const) {
      store.set('t', 'k', 'v', { scope })
      expect(store.set('t', 'k', null)).toBe(true)
      expect(store.get('t', 'k')).toBeUndefined()
      store.set('t', 'k', 'v', { scope })
      store.set('t', 'k', undefined)
      expect(store.get('t', 'k')).toBeUndefined()
    }
    expect(localStorage.length + sessionStorage.length).toBe(0)
  })
})

describe('expiry', () => {
  test('a number is a lifetime in milliseconds', () => {
    const { clock, store } = kv()
    store.set('t', 'k', 'v', { expiry: 1000 })
    clock.advance(999)
    expect(store.get('t', 'k')).toBe('v')
    clock.advance(1)
    expect(store.get('t', 'k')).toBeUndefined()
    // An expired value is removed from storage when read.
    expect(localStorage.length).toBe(0)
  })

  test('a Date is the moment the value expires', () => {
    const { clock, store } = kv()
    store.set('t', 'k', 'v', { expiry: new Date(clock.now() + 60_000), scope: 'session' })
    clock.advance(59_999)
    expect(store.get('t', 'k')).toBe('v')
    clock.advance(1)
    expect(store.get('t', 'k')).toBeUndefined()
  })

  test('expiry holds across page views', () => {
    const { clock, store } = kv()
    store.set('t', 'k', 'v', { expiry: 5000 })
    clock.advance(5000)
    expect(createClientKV(clock, localStorage, sessionStorage).get('t', 'k')).toBeUndefined()
  })

  test('page-scope values expire too', () => {
    const { clock, store } = kv()
    store.set('t', 'k', 'v', { expiry: 10, scope: 'page' })
    clock.advance(10)
    expect(store.get('t', 'k')).toBeUndefined()
  })

  test('no expiry, or a null one, never expires', () => {
    const { clock, store } = kv()
    store.set('t', 'a', '1')
    store.set('t', 'b', '2', { expiry: null })
    clock.advance(10 * 365 * 86_400_000)
    expect([store.get('t', 'a'), store.get('t', 'b')]).toEqual(['1', '2'])
  })
})

describe('storage trouble', () => {
  test('a full storage keeps the value for this page', () => {
    const clock = createFakeClock()
    const store = createClientKV(clock, fullStorage(), fullStorage())
    expect(store.set('t', 'k', 'v')).toBe(true)
    expect(store.set('t', 's', 'w', { scope: 'session' })).toBe(true)
    expect([store.get('t', 'k'), store.get('t', 's')]).toEqual(['v', 'w'])
  })

  test('without storage at all the value is kept for this page', () => {
    const store = createClientKV(createFakeClock())
    expect(store.set('t', 'k', 'v')).toBe(true)
    expect(store.set('t', 's', 'w', { scope: 'session' })).toBe(true)
    expect([store.get('t', 'k'), store.get('t', 's')]).toEqual(['v', 'w'])
  })

  test('a stored entry that is not ours reads as missing, without throwing', () => {
    const { store } = kv()
    store.set('t', 'k', 'v')
    const key = Object.keys(localStorage)[0]
    for (const junk of ['{not json', 'null', '42', '"text"']) {
      localStorage.setItem(key, junk)
      expect(store.get('t', 'k')).toBeUndefined()
    }
  })
})

describe('vendor cookies', () => {
  /** A document whose cookies behave like a browser's on `host`: cookies on a public suffix are refused. */
  function fakeDocument(host: string, publicSuffixes = ['com', 'co.uk', 'uk']) {
    const jar = new Map<string, string>()
    const writes: string[] = []
    const doc = {
      location: { hostname: host, protocol: 'https:' },
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
      },
      set cookie(line: string) {
        writes.push(line)
        const [pair, ...attrs] = line.split(';').map((s) => s.trim())
        const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
        const domain = attrs.find((a) => a.startsWith('domain='))?.slice(7)
        if (domain && (publicSuffixes.includes(domain) || !(host == domain || host.endsWith('.' + domain)))) return
        if (attrs.includes('max-age=0')) jar.delete(name)
        else jar.set(name, value)
      },
    }
    return { doc: doc as unknown as Document, writes, jar }
  }

  test('the cookie domain is the highest one the browser accepts, found with a test cookie as gtag does', () => {
    expect(registrableDomain(fakeDocument('www.shop.example.co.uk').doc, 'www.shop.example.co.uk')).toBe('example.co.uk')
    expect(registrableDomain(fakeDocument('a.b.example.com').doc, 'a.b.example.com')).toBe('example.com')
    expect(registrableDomain(fakeDocument('localhost').doc, 'localhost')).toBe('')
    expect(registrableDomain(fakeDocument('127.0.0.1').doc, '127.0.0.1')).toBe('')
    // The test cookie does not stay behind.
    const f = fakeDocument('www.example.com')
    registrableDomain(f.doc, 'www.example.com')
    expect(f.jar.size).toBe(0)
  })

  test('_ga, _fbp, _gcl_aw… in scope infinite are cookies of that name on the cookie domain, for two years at most', () => {
    const clock = createFakeClock()
    const f = fakeDocument('www.example.com')
    const store = createClientKV(clock, localStorage, sessionStorage, createCookieJar(f.doc))
    expect(store.set('ga', '_ga', 'GA1.1.1.2', { scope: 'infinite' })).toBe(true)
    expect(store.set('fb', '_fbp', 'fb.1.2.3', { scope: 'infinite', expiry: 90 * 24 * 3600 * 1000 })).toBe(true)
    expect(f.jar.get('_ga')).toBe('GA1.1.1.2')
    expect(f.writes.filter((w) => w.startsWith('_ga='))).toEqual([`_ga=GA1.1.1.2; max-age=${400 * 24 * 3600}; domain=example.com; path=/; samesite=lax; secure`])
    expect(f.writes.filter((w) => w.startsWith('_fbp='))[0]).toContain(`max-age=${90 * 24 * 3600}; domain=example.com`)
    // Any tool reads them: the vendor's name, not namespaced.
    expect(store.get('other', '_fbp')).toBe('fb.1.2.3')
    expect(localStorage.length).toBe(0)
  })

  test('the configured cookieDomain wins; other keys and other scopes stay in Web Storage', () => {
    const clock = createFakeClock()
    const f = fakeDocument('www.example.com')
    const store = createClientKV(clock, localStorage, sessionStorage, createCookieJar(f.doc, '.www.example.com'))
    store.set('ga', '_ga', 'GA1.1.1.2')
    expect(f.writes.at(-1)).toContain('domain=www.example.com;')
    store.set('ga', 'counter', '3', { scope: 'infinite' })
    store.set('ga', '_gcl_aw', 'GCL.1.x', { scope: 'session' })
    expect([...f.jar.keys()]).toEqual(['_ga'])
    expect([localStorage.length, sessionStorage.length]).toEqual([1, 1])
    expect(store.get('ga', '_gcl_aw')).toBe('GCL.1.x')
  })

  test('null deletes the cookie', () => {
    const f = fakeDocument('example.com')
    const store = createClientKV(createFakeClock(), localStorage, sessionStorage, createCookieJar(f.doc))
    store.set('t', '_gcl_aw', 'GCL.1.x')
    store.set('t', '_gcl_aw', null)
    expect(f.jar.has('_gcl_aw')).toBe(false)
    expect(store.get('t', '_gcl_aw')).toBeUndefined()
  })
})

describe('laziness', () => {
  test('creating the store and its cookie jar reads no storage and no cookie, and probes no cookie domain', () => {
    const used: string[] = []
    const cookieGet = vi.spyOn(cookieOwner(), 'cookie', 'get')
    const cookieSet = vi.spyOn(cookieOwner(), 'cookie', 'set')
    const store = createClientKV(createFakeClock(), recording(localStorage, used), recording(sessionStorage, used), createCookieJar(document))
    expect([used, cookieGet.mock.calls, cookieSet.mock.calls]).toEqual([[], [], []])
    // The first get reads: the vendor cookie, or the storages.
    store.get('t', '_ga')
    expect(cookieGet).toHaveBeenCalled()
    store.get('t', 'k')
    expect(used).toContain('getItem')
    expect(cookieSet).not.toHaveBeenCalled()
    vi.restoreAllMocks()
  })
})
