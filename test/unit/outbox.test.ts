// The persistent outbox: what is not delivered when the page goes is stored in localStorage,
// bounded, and sent by exactly one later page view.
import { describe, expect, test, vi } from 'vitest'
import { createTransport, HELD, MAX_REQUEST_BYTES, RESTORE_AFTER, type Delivery } from '../../src/transport/transport'
import { OUTBOX_LIMITS, type Stored } from '../../src/transport/outbox'
import * as restoreChunk from '../../src/transport/restore'
import { claim, put } from '../../src/transport/restore'
import { createFakeClock, type FakeClock } from '../../src/testing/index'
import type { Env } from '../../src/platform/env'
import { describeNote } from '../../src/debug/notes'
import { pass, recordingConsole } from './helpers'

/** An in-memory Storage that several "tabs" share. */
function memoryStorage(): Storage {
  const m = new Map<string, string>()
  return {
    get length() {
      return m.size
    },
    key: (i: number) => Array.from(m.keys())[i] ?? null,
    getItem: (k: string) => (m.has(k) ? m.get(k)! : null),
    setItem: (k: string, v: string) => void m.set(k, String(v)),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
  }
}

/** Web Locks with one exclusive lock per name, granted in request order. */
function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>()
  return {
    request(name: string, cb: () => unknown) {
      const run = (tails.get(name) ?? Promise.resolve()).then(() => cb())
      tails.set(name, run.catch(() => undefined))
      return run
    },
  } as unknown as Env['locks']
}

type Answer = number | 'network' | 'hang'

interface TabOptions {
  storage?: Storage
  clock?: FakeClock
  answer?: (url: string, n: number) => Answer
  locks?: Env['locks'] | null
  random?: () => number
  /** Extra properties of the page's window (e.g. requestIdleCallback). */
  window?: object
  /** Loads the outbox's restore half (default: at once, as a cached chunk). */
  load?: (name: string) => Promise<unknown>
}

/** The chunk loader: the restore half is the `outbox` chunk. */
const loadRestore = (name: string) => (name == 'outbox' ? Promise.resolve(restoreChunk) : Promise.reject(new Error(`no chunk "${name}"`)))

/** One page view: a transport on a shared storage and clock, with its own window and document. */
function tab(o: TabOptions = {}) {
  const clock = o.clock ?? createFakeClock()
  const storage = o.storage ?? memoryStorage()
  const win = Object.assign(new EventTarget(), o.window) as unknown as Window
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' }) as unknown as Document & { visibilityState: string }
  const sent: string[] = []
  const fetch = vi.fn((input: RequestInfo | URL, _init?: RequestInit) => {
    const url = String(input)
    sent.push(url)
    const a = o.answer ? o.answer(url, sent.length) : 204
    if (a == 'hang') return new Promise<Response>(() => undefined)
    if (a == 'network') return Promise.reject(new TypeError('Failed to fetch'))
    return Promise.resolve(new Response(null, { status: a }))
  })
  const log = recordingConsole()
  const notes: string[] = []
  const env: Env = {
    clock,
    random: o.random ?? Math.random,
    window: win,
    document: doc,
    localStorage: storage,
    fetch: fetch as unknown as typeof globalThis.fetch,
    locks: o.locks === null ? undefined : (o.locks ?? fakeLocks()),
    console: log.log,
  }
  // In words, as debug mode says them.
  const loads: string[] = []
  const transport = createTransport(env, (m) => notes.push(describeNote(m)), (name) => (loads.push(name), (o.load ?? loadRestore)(name)))
  return {
    /** The chunks this page view asked for. */
    loads,
    transport,
    clock,
    storage,
    sent,
    notes,
    fetch,
    hide: () => {
      doc.visibilityState = 'hidden'
      doc.dispatchEvent(new Event('visibilitychange'))
    },
    leave: () => win.dispatchEvent(new Event('pagehide')),
  }
}

const flush = async (rounds = 30) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

/** A page view restores the outbox once it is idle: without requestIdleCallback, RESTORE_AFTER ms after it starts. */
const idle = async (clock: FakeClock) => {
  clock.advance(RESTORE_AFTER)
  await flush()
}

const stored = (s: Storage) => {
  const out: Stored[] = []
  for (let i = 0; i < s.length; i++) if (s.key(i)!.startsWith('tagrelay_ob:')) out.push(JSON.parse(s.getItem(s.key(i)!)!))
  return out
}

/** The outbox's functions on one storage. */
const createOutbox = (s: Storage) => ({
  put: (key: string, e: Stored) => put(s, key, e),
  claim: (tab: string, now: number, lease: number) => claim(s, tab, now, lease),
})

const post = (n: number) => ({ url: `https://c.example/e?n=${n}`, method: 'POST', body: `{"n":${n}}`, eventId: `ev-${n}`, toolId: 'collector' })

describe('the outbox', () => {
  test('a request waiting for a retry is stored, and removed once delivered', async () => {
    const t = tab({ answer: (_, n) => (n == 1 ? 503 : 204) })
    let result: Delivery | undefined
    t.transport.send(post(1)).then((d) => (result = d))
    await flush()
    expect(stored(t.storage)).toHaveLength(1)
    expect(stored(t.storage)[0]).toMatchObject({ r: { url: 'https://c.example/e?n=1', body: '{"n":1}' }, n: 1 })
    await pass(t.clock, 60_000)
    await flush()
    expect(result).toMatchObject({ ok: true, status: 204, attempts: 2 })
    expect(stored(t.storage)).toHaveLength(0)
  })

  test('a delivered request never touches storage', async () => {
    const t = tab()
    await t.transport.send(post(1))
    expect(t.storage.length).toBe(0)
  })

  test('what is in flight or waiting when the page goes is sent by the next page view, once', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    const first = tab({ storage, clock, answer: (url) => (url.endsWith('n=1') ? 'hang' : 'network') })
    first.transport.send(post(1)) // in flight
    first.transport.send(post(2)) // refused, waiting
    await flush()
    first.leave()
    expect(stored(storage).map((e) => e.r.eventId).sort()).toEqual(['ev-1', 'ev-2'])
    // Nothing more from the page that went away, even when its timers would have fired.
    await pass(clock, 60_000)
    await flush()
    expect(first.sent).toHaveLength(2)

    const second = tab({ storage, clock })
    await idle(clock)
    expect(second.sent.sort()).toEqual(['https://c.example/e?n=1', 'https://c.example/e?n=2'])
    await flush()
    expect(stored(storage)).toHaveLength(0)
    const third = tab({ storage, clock })
    await idle(clock)
    expect(third.sent).toEqual([])
  })

  test('the collector down for a whole page view: everything arrives on the next one', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    const down = tab({ storage, clock, answer: () => 'network' })
    for (let i = 0; i < 20; i++) down.transport.send(post(i))
    for (let i = 0; i < 30; i++) {
      await pass(clock, 60_000)
      await flush()
    }
    // Every attempt of this page view failed (4 at once, then 4 more twice after a pause): the requests wait in the outbox.
    expect(down.sent).toHaveLength(20 * 12)
    expect(stored(storage)).toHaveLength(20)
    down.leave()
    const up = tab({ storage, clock })
    await idle(clock)
    expect(new Set(up.sent).size).toBe(20)
    expect(up.sent).toHaveLength(20)
    expect(stored(storage)).toHaveLength(0)
  })

  test('a tool whose every request fails with a network error is reported once, and kept for later', async () => {
    const t = tab({ answer: (url) => (url.includes('blocked') ? 'network' : 204) })
    const results: Delivery[] = []
    t.transport.send({ url: 'https://ads.example/p?x=1', method: 'POST', body: '1', toolId: 'ads' }).then((d) => results.push(d))
    t.transport.send({ url: 'https://ads.example/blocked?x=2', method: 'POST', body: '2', toolId: 'ads' }).then((d) => results.push(d))
    t.transport.send({ url: 'https://ads.example/blocked?x=3', method: 'POST', body: '3', toolId: 'ads' }).then((d) => results.push(d))
    await flush()
    // The other request was not held up by the blocked ones.
    expect(results).toEqual([{ ok: true, status: 204, attempts: 1, error: undefined }])
    for (let i = 0; i < 10; i++) {
      await pass(t.clock, 60_000)
      await flush()
    }
    expect(results.slice(1)).toEqual([
      expect.objectContaining({ ok: false, attempts: 4, error: 'Failed to fetch' }),
      expect.objectContaining({ ok: false, attempts: 4, error: 'Failed to fetch' }),
    ])
    expect(t.notes.filter((m) => m.includes('tool "ads"') && m.includes('network error'))).toHaveLength(1)
    expect(stored(t.storage)).toHaveLength(2)
  })

  test('a request tried 20 times over several page views is dropped', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    let views = 0
    for (; views < 5 && (views == 0 || stored(storage).length); views++) {
      const t = tab({ storage, clock, answer: () => 500 })
      if (views == 0) t.transport.send(post(1))
      for (let i = 0; i < 30; i++) {
        await pass(clock, 60_000)
        await flush()
      }
      t.leave()
    }
    // 12 attempts in the first page view, 8 in the second (20 in all), none in a third.
    expect(views).toBe(2)
    expect(stored(storage)).toHaveLength(0)
  })

  test('a hidden page stores what is pending, still claimed by itself, and keeps sending it', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    const t = tab({ storage, clock, answer: (_, n) => (n == 1 ? 'hang' : 204) })
    t.transport.send(post(1))
    await flush()
    t.hide()
    const [e] = stored(storage)
    expect(e.o).toBeTruthy()
    expect(e.x).toBeGreaterThan(clock.now())
    // Another tab opening now leaves it alone.
    const other = tab({ storage, clock })
    await idle(clock)
    expect(other.sent).toEqual([])
  })
})

describe('two tabs on one outbox', () => {
  async function leftovers(storage: Storage, clock: FakeClock, n: number) {
    const gone = tab({ storage, clock, answer: () => 'network' })
    for (let i = 0; i < n; i++) gone.transport.send(post(i))
    await flush()
    gone.leave()
    expect(stored(storage)).toHaveLength(n)
  }

  test('with Web Locks, each stored request is sent by exactly one tab', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    await leftovers(storage, clock, 50)
    const locks = fakeLocks()
    const a = tab({ storage, clock, locks })
    const b = tab({ storage, clock, locks })
    await flush()
    await pass(clock, 120_000)
    await flush()
    const all = [...a.sent, ...b.sent]
    expect(all).toHaveLength(50)
    expect(new Set(all).size).toBe(50)
    expect(stored(storage)).toHaveLength(0)
  })

  test('without Web Locks, a claim read back after a moment keeps the tabs apart', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    await leftovers(storage, clock, 30)
    const a = tab({ storage, clock, locks: null })
    const b = tab({ storage, clock, locks: null })
    // Idle: each loads the restore half and claims; 100 ms later each reads its claims back.
    await idle(clock)
    clock.advance(200)
    await flush()
    const all = [...a.sent, ...b.sent]
    expect(all.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `https://c.example/e?n=${i}`).sort())
  })

  test('a tab takes over what a tab that died without pagehide claimed, once the claim lapses', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    // Its own clock, never moved: once the process is killed, none of its timers run.
    const dead = tab({ storage, clock: createFakeClock(), answer: () => 'hang' })
    dead.transport.send(post(1))
    await flush()
    dead.hide() // then the process is killed: no pagehide
    const heir = tab({ storage, clock })
    await idle(clock)
    expect(heir.sent).toEqual([])
    clock.advance(31_000)
    await flush()
    expect(heir.sent).toEqual(['https://c.example/e?n=1'])
  })
})

describe('limits', () => {
  test('the outbox keeps at most 1000 requests: the oldest are dropped first, and counted', () => {
    const s = memoryStorage()
    const box = createOutbox(s)
    for (let i = 0; i < OUTBOX_LIMITS.count + 5; i++) box.put(`k${i}`, { r: { url: `https://c.example/${i}` }, n: 1, t: 1000 + i })
    const { mine, dropped } = box.claim('tab', 5000, 30_000)
    expect(dropped).toBe(5)
    expect(mine).toHaveLength(OUTBOX_LIMITS.count)
    expect(mine[0][1].r.url).toBe('https://c.example/5')
    expect(s.length).toBe(OUTBOX_LIMITS.count)
  })

  test('the outbox keeps at most 500 000 characters, dropping the oldest', () => {
    const s = memoryStorage()
    const box = createOutbox(s)
    const body = 'x'.repeat(100_000)
    for (let i = 0; i < 7; i++) box.put(`k${i}`, { r: { url: `https://c.example/${i}`, body }, n: 1, t: 1000 + i })
    const { mine, dropped } = box.claim('tab', 5000, 30_000)
    expect(dropped).toBe(3)
    expect(mine.map(([, e]) => e.r.url)).toEqual(['https://c.example/3', 'https://c.example/4', 'https://c.example/5', 'https://c.example/6'])
  })

  test('stored requests older than 7 days and unreadable entries are dropped', () => {
    const s = memoryStorage()
    const box = createOutbox(s)
    box.put('old', { r: { url: 'https://c.example/old' }, n: 1, t: 0 })
    s.setItem('tagrelay_ob:junk', '{not json')
    box.put('new', { r: { url: 'https://c.example/new' }, n: 1, t: OUTBOX_LIMITS.age })
    const { mine, dropped } = box.claim('tab', OUTBOX_LIMITS.age + 1, 30_000)
    expect(dropped).toBe(2)
    expect(mine.map(([k]) => k)).toEqual(['new'])
  })

  test(`in memory, at most ${HELD.count} requests wait: past that a request goes to the outbox at once, and is said`, async () => {
    const t = tab({ answer: () => 'hang' })
    const results: Delivery[] = []
    for (let i = 0; i < HELD.count + 5; i++) t.transport.send(post(i)).then((d) => results.push(d))
    await flush()
    expect(results).toHaveLength(5)
    expect(results.every((d) => describeNote(d.error!).startsWith('too many waiting'))).toBe(true)
    expect(t.notes.filter((m) => m.includes('too many requests waiting'))).toHaveLength(5)
    // The 5 newest, free for the next restore; the others are still this page view's, in memory.
    expect(stored(t.storage).map((e) => e.r.eventId)).toEqual(Array.from({ length: 5 }, (_, i) => `ev-${HELD.count + i}`))
    expect(stored(t.storage).every((e) => !e.o)).toBe(true)
  })

  test('what went to the outbox for want of memory is sent by this page view once there is room', async () => {
    let up = false
    const t = tab({ answer: () => (up ? 204 : 'hang') })
    for (let i = 0; i < HELD.count + 5; i++) t.transport.send(post(i))
    await flush()
    expect(stored(t.storage)).toHaveLength(5)
    up = true
    // The hanging attempts time out and are retried; everything is delivered, the 5 stored last.
    await pass(t.clock, 600_000)
    expect(new Set(t.sent).size).toBe(HELD.count + 5)
    expect(t.sent.slice(-5).sort()).toEqual(Array.from({ length: 5 }, (_, i) => post(HELD.count + i).url).sort())
    expect(stored(t.storage)).toHaveLength(0)
  }, 30_000)

  test(`a page view stores at most ${OUTBOX_LIMITS.count} requests of its own: the rest live in memory only`, async () => {
    const t = tab({ answer: () => 'hang' })
    for (let i = 0; i < OUTBOX_LIMITS.count + 500; i++) t.transport.send(post(i))
    await flush()
    t.hide()
    expect(stored(t.storage)).toHaveLength(OUTBOX_LIMITS.count)
    t.leave()
    expect(stored(t.storage)).toHaveLength(OUTBOX_LIMITS.count)
  })

  test(`a request over ${MAX_REQUEST_BYTES} bytes is not sent, and said`, async () => {
    const t = tab()
    const d = await t.transport.send({ url: 'https://c.example/big', method: 'POST', body: 'x'.repeat(MAX_REQUEST_BYTES), toolId: 'big' })
    expect(d).toMatchObject({ ok: false, attempts: 0 })
    expect(t.sent).toEqual([])
    expect(t.notes[0]).toContain('tool "big"')
    expect(await t.transport.send({ url: 'https://c.example/ok', method: 'POST', body: 'x'.repeat(MAX_REQUEST_BYTES - 100) })).toMatchObject({ ok: true })
  })

  test('keepalive bodies in flight stay within the 64 KiB budget; the rest go without keepalive', async () => {
    const t = tab({ answer: () => 'hang' })
    for (let i = 0; i < 4; i++) t.transport.send({ url: `https://c.example/${i}`, method: 'POST', body: 'x'.repeat(20_000) })
    await flush()
    expect(t.fetch.mock.calls.map((c) => (c[1] as RequestInit).keepalive)).toEqual([true, true, true, false])
  })

  test('the budget is given back when a request finishes', async () => {
    const t = tab()
    for (let i = 0; i < 4; i++) await t.transport.send({ url: `https://c.example/${i}`, method: 'POST', body: 'x'.repeat(20_000) })
    expect(t.fetch.mock.calls.map((c) => (c[1] as RequestInit).keepalive)).toEqual([true, true, true, true])
  })
})

describe('the event id reaches the collector', () => {
  test('with idParam the event id is a query parameter, the same on every retry and after a reload', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    const first = tab({ storage, clock, answer: () => 503 })
    first.transport.send({ url: 'https://c.example/e?a=1', method: 'POST', body: '{}', eventId: 'ev-9', idParam: 'tagrelay_id' })
    await flush()
    await pass(clock, 60_000)
    await flush()
    first.leave()
    const second = tab({ storage, clock })
    await idle(clock)
    expect(second.sent.length).toBeGreaterThan(0)
    expect(new Set([...first.sent, ...second.sent])).toEqual(new Set(['https://c.example/e?a=1&tagrelay_id=ev-9']))
  })
})

describe('start-up: no storage and no lock before the page is idle', () => {
  /** A Storage that counts every property read and method call made on it. */
  function countingStorage(inner = memoryStorage()) {
    let touches = 0
    const storage = new Proxy(inner, {
      get(target, key) {
        touches++
        const v = Reflect.get(target, key)
        return typeof v == 'function' ? v.bind(target) : v
      },
    })
    return { storage, touches: () => touches, reset: () => (touches = 0) }
  }

  /** Web Locks that count the requests made. */
  function countingLocks() {
    const inner = fakeLocks()!
    const names: string[] = []
    const locks = {
      request(name: string, cb: () => unknown) {
        names.push(name)
        return (inner.request as unknown as (n: string, cb: () => unknown) => Promise<unknown>)(name, cb)
      },
    } as unknown as Env['locks']
    return { locks, names }
  }

  /** Requests an earlier page view left in `storage` (the collector was down), free to take. */
  async function leftovers(storage: Storage, clock: FakeClock, n: number) {
    const gone = tab({ storage, clock, answer: () => 'network' })
    for (let i = 0; i < n; i++) gone.transport.send(post(i))
    await flush()
    gone.leave()
  }

  test('creating the transport and sending the first requests touch no storage and take no lock', async () => {
    const { storage, touches } = countingStorage()
    const { locks, names } = countingLocks()
    let reads = 0
    const t = tab({ storage, locks })
    // The env's localStorage itself is not even read (a lazy env may make that read cost).
    const clock = createFakeClock()
    const env: Env = {
      clock,
      random: Math.random,
      window: new EventTarget() as unknown as Window,
      document: Object.assign(new EventTarget(), { visibilityState: 'visible' }) as unknown as Document,
      get localStorage() {
        reads++
        return storage
      },
      fetch: (() => Promise.resolve(new Response(null, { status: 204 }))) as unknown as typeof fetch,
      locks,
      console: recordingConsole().log,
    }
    const transport = createTransport(env)
    expect(await transport.send(post(1))).toMatchObject({ ok: true, status: 204 })
    expect(await t.transport.send(post(2))).toMatchObject({ ok: true, status: 204 })
    await flush()
    expect(reads).toBe(0)
    expect(touches()).toBe(0)
    expect(names).toEqual([])
    // Once idle, each page view looks at the outbox: storage is read and the lock asked for.
    await idle(clock)
    await idle(t.clock)
    expect(reads).toBeGreaterThan(0)
    expect(touches()).toBeGreaterThan(0)
    expect(names).toEqual(['tagrelay_outbox', 'tagrelay_outbox'])
    // Nothing was stored: the restore half of the outbox is not loaded.
    expect(t.loads).toEqual([])
  })

  test('what an earlier page view stored is sent once the new one is idle, not at start', async () => {
    const inner = memoryStorage()
    const clock = createFakeClock()
    await leftovers(inner, clock, 3)
    const { storage, touches } = countingStorage(inner)
    const t = tab({ storage, clock })
    await flush()
    expect(t.sent).toEqual([])
    expect(touches()).toBe(0)
    expect(t.loads).toEqual([])
    await idle(clock)
    expect(t.sent.sort()).toEqual(['https://c.example/e?n=0', 'https://c.example/e?n=1', 'https://c.example/e?n=2'])
    expect(stored(inner)).toHaveLength(0)
    // The restore half was loaded once, because something was stored.
    expect(t.loads).toEqual(['outbox'])
  })

  test('when the restore half fails to load, the stored requests stay untouched and it is tried again a lease later', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    await leftovers(storage, clock, 2)
    const before = stored(storage)
    let fail = true
    const t = tab({ storage, clock, load: (name) => (fail ? Promise.reject(new Error('could not load')) : loadRestore(name)) })
    await idle(clock)
    expect(t.loads).toEqual(['outbox'])
    expect(t.sent).toEqual([])
    expect(stored(storage)).toEqual(before)
    fail = false
    clock.advance(30_000)
    await flush()
    expect(t.loads).toEqual(['outbox', 'outbox'])
    expect(t.sent.sort()).toEqual(['https://c.example/e?n=0', 'https://c.example/e?n=1'])
    expect(stored(storage)).toHaveLength(0)
  })

  test('with requestIdleCallback the restore runs in an idle callback, with a timeout', async () => {
    const inner = memoryStorage()
    const clock = createFakeClock()
    await leftovers(inner, clock, 2)
    const { storage, touches } = countingStorage(inner)
    const idleCalls: Array<{ cb: () => void; timeout?: number }> = []
    const t = tab({ storage, clock, window: { requestIdleCallback: (cb: () => void, o?: { timeout?: number }) => idleCalls.push({ cb, timeout: o?.timeout }) } })
    // The fake clock's timers are not used for it: time alone does not restore.
    clock.advance(RESTORE_AFTER * 10)
    await flush()
    expect(t.sent).toEqual([])
    expect(touches()).toBe(0)
    expect(idleCalls).toHaveLength(1)
    expect(idleCalls[0].timeout).toBe(RESTORE_AFTER)
    idleCalls[0].cb()
    await flush()
    expect(t.sent).toHaveLength(2)
  })

  test('with requestIdleCallback the first request asks for the idle restore at once, after it went to fetch', async () => {
    const inner = memoryStorage()
    const clock = createFakeClock()
    await leftovers(inner, clock, 1)
    const { storage, touches } = countingStorage(inner)
    const order: string[] = []
    const t = tab({ storage, clock, window: { requestIdleCallback: () => order.push('idle') } })
    t.fetch.mockImplementation((input: RequestInfo | URL) => {
      order.push('fetch ' + String(input))
      return Promise.resolve(new Response(null, { status: 204 }))
    })
    await t.transport.send(post(7))
    expect(order).toEqual(['fetch https://c.example/e?n=7', 'idle'])
    expect(touches()).toBe(0)
  })

  test('a page view that leaves before it is idle leaves the stored requests to the next one, untouched', async () => {
    const inner = memoryStorage()
    const clock = createFakeClock()
    await leftovers(inner, clock, 2)
    const before = stored(inner)
    const { storage, touches } = countingStorage(inner)
    const { locks, names } = countingLocks()
    const brief = tab({ storage, clock, locks })
    brief.leave()
    await idle(clock)
    expect(brief.sent).toEqual([])
    expect(touches()).toBe(0)
    expect(names).toEqual([])
    expect(stored(inner)).toEqual(before)
    const next = tab({ storage: inner, clock })
    await idle(clock)
    expect(next.sent).toHaveLength(2)
  })

  test('with Web Locks the leading page view keeps the lock until it leaves; the next in line then takes over', async () => {
    const storage = memoryStorage()
    const clock = createFakeClock()
    const locks = fakeLocks()
    await leftovers(storage, clock, 2)
    const a = tab({ storage, clock, locks })
    await idle(clock)
    const b = tab({ storage, clock, locks })
    await idle(clock)
    expect(a.sent).toHaveLength(2)
    expect(b.sent).toEqual([])
    // b waits for the lock: it has not even looked at the outbox.
    expect(b.loads).toEqual([])
    // More left by another page view while a leads: b leaves them to a, even after their claims are free.
    await leftovers(storage, clock, 1)
    clock.advance(RESTORE_AFTER)
    await flush()
    expect(b.sent).toEqual([])
    // a leaves: b leads now and sends them.
    a.leave()
    await flush()
    expect(b.loads).toEqual(['outbox'])
    expect(b.sent).toEqual(['https://c.example/e?n=0'])
    expect(stored(storage)).toHaveLength(0)
  })
})
