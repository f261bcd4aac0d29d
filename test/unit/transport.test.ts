import { describe, expect, test, vi } from 'vitest'
import { ATTEMPT_TIMEOUT, createTransport, type Delivery, type OutgoingRequest } from '../../src/transport/transport'
import { createFakeClock, createRecordingTransport } from '../../src/testing/index'
import type { Env } from '../../src/platform/env'
import { pass, recordingConsole } from './helpers'

type Answer = number | 'network' | 'opaque' | { status: number; headers: Record<string, string> }

/** A fetch answering from a script: a status, a network error, or an opaque response. */
function scriptedFetch(answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit }> = []
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} })
    const a = answers.length > 1 ? answers.shift()! : answers[0]
    if (a == 'network') return Promise.reject(new TypeError('Failed to fetch'))
    if (a == 'opaque') return Promise.resolve({ type: 'opaque', status: 0, ok: false, headers: new Headers() } as unknown as Response)
    const { status, headers } = typeof a == 'number' ? { status: a, headers: {} } : a
    return Promise.resolve(new Response(status == 204 ? null : 'x', { status, headers }))
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls }
}

interface World {
  answers?: Answer[]
  hidden?: boolean
  beacon?: (url: string, data?: BodyInit | null) => boolean
  random?: number
  env?: Partial<Env>
}

function world(o: World = {}) {
  const clock = createFakeClock()
  const { fetch, calls } = scriptedFetch(o.answers ?? [200])
  // An EventTarget: the transport listens to visibilitychange and pagehide whenever there is a page.
  const doc = Object.assign(new EventTarget(), { visibilityState: o.hidden ? 'hidden' : 'visible' }) as { visibilityState: DocumentVisibilityState }
  const beacon = vi.fn(o.beacon ?? (() => true))
  const env: Env = {
    clock,
    random: () => o.random ?? 0.5,
    fetch,
    sendBeacon: beacon,
    document: doc as unknown as Document,
    console: recordingConsole().log,
    ...o.env,
  }
  return { transport: createTransport(env), clock, calls, beacon, doc }
}

/** Lets pending promise callbacks run (the fake clock moves no time by itself). */
const flush = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

/** Tracks whether a delivery finished, and with what. */
function watch(p: Promise<Delivery>) {
  const state: { result?: Delivery } = {}
  p.then((r) => (state.result = r))
  return state
}

const post = (extra: Partial<OutgoingRequest> = {}): OutgoingRequest => ({ url: 'https://c.example/e', method: 'POST', body: '{"a":1}', ...extra })

describe('sending with fetch', () => {
  test('a request is sent once with fetch and keepalive, with its method, headers, body, mode and credentials', async () => {
    const { transport, calls } = world({ answers: [200] })
    const r = await transport.send(post({ headers: { 'content-type': 'application/json' }, mode: 'cors', credentials: 'include' }))
    expect(r).toEqual({ ok: true, status: 200, attempts: 1, error: undefined })
    expect(calls).toHaveLength(1)
    expect(calls[0].url).toBe('https://c.example/e')
    expect(calls[0].init).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      mode: 'cors',
      credentials: 'include',
      keepalive: true,
    })
  })

  test('the method defaults to GET and is upper-cased', async () => {
    const { transport, calls } = world()
    await transport.send({ url: 'https://c.example/a' })
    await transport.send({ url: 'https://c.example/b', method: 'post' })
    expect(calls.map((c) => c.init.method)).toEqual(['GET', 'POST'])
  })

  test('keepalive is on up to 60 000 characters of body and off above', async () => {
    const { transport, calls } = world()
    await transport.send(post({ body: 'x'.repeat(60_000) }))
    await transport.send(post({ body: 'x'.repeat(60_001) }))
    expect(calls.map((c) => c.init.keepalive)).toEqual([true, false])
  })

  test('an opaque (no-cors) response counts as sent', async () => {
    const { transport, calls } = world({ answers: ['opaque'] })
    expect(await transport.send(post({ mode: 'no-cors' }))).toEqual({ ok: true, status: 0, attempts: 1 })
    expect(calls).toHaveLength(1)
  })

  test("a page's fetch handed over unbound is called as a plain function, not as a method of env", async () => {
    // As WebIDL methods do: a `this` that is not their window is an "Illegal invocation" (the e2e
    // test npm-env.test.ts shows it with Chromium's own window.fetch).
    const seen: unknown[] = []
    const strict = function (this: unknown) {
      seen.push(this)
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation')
      return Promise.resolve(new Response(null, { status: 204 }))
    } as unknown as typeof fetch
    const { transport } = world({ env: { fetch: strict } })
    // (manager.fetch first: it rejects at once where the bug is; a send would retry.)
    expect((await transport.fetch('https://collector.example/x')).status).toBe(204)
    expect(await transport.send(post())).toEqual({ ok: true, status: 204, attempts: 1 })
    expect(seen).toHaveLength(2)
  })

  test('without fetch in the environment a request fails without throwing', async () => {
    const { transport } = world({ env: { fetch: undefined } })
    await expect(transport.send(post())).resolves.toMatchObject({ ok: false, attempts: 1 })
  })
})

describe('retries', () => {
  test.each([
    ['a network error', 'network' as Answer],
    ['a 500', 500 as Answer],
    ['a 503', 503 as Answer],
    ['a 429', 429 as Answer],
  ])('%s is retried after a backoff, then succeeds', async (_, first) => {
    const { transport, calls, clock } = world({ answers: [first, 200] })
    const d = watch(transport.send(post()))
    await flush()
    expect(calls).toHaveLength(1)
    expect(d.result).toBeUndefined()
    clock.advance(2000)
    await flush()
    expect(calls).toHaveLength(2)
    expect(d.result).toEqual({ ok: true, status: 200, attempts: 2, error: undefined })
    // The retry is the same request (each attempt has its own abort signal).
    const request = ({ url, init: { signal: _, ...init } }: (typeof calls)[number]) => ({ url, init })
    expect(request(calls[1])).toEqual(request(calls[0]))
  })

  test('the backoff grows with each attempt and never fires at once', async () => {
    const { transport, calls, clock } = world({ answers: [500, 500, 500, 200], random: 0 })
    transport.send(post())
    const gaps: number[] = []
    let last = clock.now()
    for (let n = 2; n <= 4; n++) {
      await flush()
      // Step the clock until the next attempt goes out.
      while (calls.length < n) {
        clock.advance(10)
        await flush()
        if (clock.now() - last > 60_000) throw new Error(`attempt ${n} never came`)
      }
      gaps.push(clock.now() - last)
      last = clock.now()
    }
    expect(gaps[0]).toBeGreaterThan(0)
    expect(gaps[1]).toBeGreaterThan(gaps[0])
    expect(gaps[2]).toBeGreaterThan(gaps[1])
  })

  test('the backoff has jitter: a different random number gives a different wait', async () => {
    const waitFor = async (random: number) => {
      const { transport, calls, clock } = world({ answers: ['network', 200], random })
      transport.send(post())
      await flush()
      const start = clock.now()
      while (calls.length < 2) {
        clock.advance(10)
        await flush()
      }
      return clock.now() - start
    }
    expect(await waitFor(0)).not.toBe(await waitFor(0.9))
  })

  test('Retry-After in seconds is honoured', async () => {
    const { transport, calls, clock } = world({ answers: [{ status: 429, headers: { 'Retry-After': '7' } }, 200] })
    const d = watch(transport.send(post()))
    await flush()
    clock.advance(6999)
    await flush()
    expect(calls).toHaveLength(1)
    clock.advance(1)
    await flush()
    expect(calls).toHaveLength(2)
    expect(d.result).toMatchObject({ ok: true, attempts: 2 })
  })

  test('a 503 with Retry-After waits as told', async () => {
    const { transport, calls, clock } = world({ answers: [{ status: 503, headers: { 'Retry-After': '10' } }, 204] })
    transport.send(post())
    await flush()
    clock.advance(9999)
    await flush()
    expect(calls).toHaveLength(1)
    clock.advance(1)
    await flush()
    expect(calls).toHaveLength(2)
  })

  test.each([400, 403, 404, 413])('a %i is final: not retried', async (status) => {
    const { transport, calls, clock } = world({ answers: [status, 200] })
    const r = await transport.send(post())
    expect(r).toMatchObject({ ok: false, status, attempts: 1 })
    clock.advance(120_000)
    await flush()
    expect(calls).toHaveLength(1)
  })

  test('it gives up after 4 attempts', async () => {
    const { transport, calls, clock } = world({ answers: [503] })
    const d = watch(transport.send(post()))
    for (let i = 0; i < 10; i++) {
      await flush()
      await pass(clock, 60_000)
    }
    await flush()
    expect(calls).toHaveLength(4)
    expect(d.result).toMatchObject({ ok: false, status: 503, attempts: 4 })
  })

  test('a network error on every attempt gives up after 4 attempts with the error', async () => {
    const { transport, calls, clock } = world({ answers: ['network'] })
    const d = watch(transport.send(post()))
    for (let i = 0; i < 10; i++) {
      await flush()
      await pass(clock, 60_000)
    }
    await flush()
    expect(calls).toHaveLength(4)
    expect(d.result).toMatchObject({ ok: false, status: 0, attempts: 4, error: 'Failed to fetch' })
  })

  test('a fetch that throws instead of rejecting is a network error, not an exception', async () => {
    const clock = createFakeClock()
    let n = 0
    const fetch = (() => {
      if (n++ == 0) throw new TypeError('bad init')
      return Promise.resolve(new Response(null, { status: 204 }))
    }) as unknown as typeof globalThis.fetch
    const transport = createTransport({ clock, random: () => 0.5, fetch, console: recordingConsole().log })
    const d = watch(transport.send(post()))
    await flush()
    await pass(clock, 60_000)
    await flush()
    expect(d.result).toMatchObject({ ok: true, status: 204, attempts: 2 })
  })
})

/** A fetch whose answers the test gives by hand, in any order; an aborted call rejects, as fetch does. */
function manualFetch() {
  const calls: Array<{ url: string; init: RequestInit; answer(v: unknown): void }> = []
  const fetch = vi.fn(
    (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((ok, fail) => {
        calls.push({ url: String(input), init: init ?? {}, answer: ok as (v: unknown) => void })
        init?.signal?.addEventListener('abort', () => fail(new DOMException('The operation was aborted.', 'AbortError')))
      }),
  )
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls }
}

describe('no page can break it', () => {
  test('at most 6 requests are in flight to one host; the others go in order as answers come', async () => {
    const { fetch, calls } = manualFetch()
    const { transport } = world({ env: { fetch } })
    const results: number[] = []
    for (let i = 0; i < 20; i++) transport.send(post({ url: `https://c.example/e?n=${i}` })).then(() => results.push(i))
    await flush()
    expect(calls.map((c) => c.url)).toEqual(Array.from({ length: 6 }, (_, i) => `https://c.example/e?n=${i}`))
    calls[2].answer(new Response(null, { status: 204 }))
    await flush()
    expect(results).toEqual([2])
    expect(calls).toHaveLength(7)
    expect(calls[6].url).toBe('https://c.example/e?n=6')
    for (let i = 0; i < 20; i++) {
      for (const c of calls) c.answer(new Response(null, { status: 204 }))
      await flush()
    }
    expect(calls.map((c) => c.url)).toEqual(Array.from({ length: 20 }, (_, i) => `https://c.example/e?n=${i}`))
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i))
  })

  test('a host that does not answer holds up no other host', async () => {
    const { fetch, calls } = manualFetch()
    const { transport } = world({ env: { fetch } })
    for (let i = 0; i < 10; i++) transport.send(post({ url: `https://hangs.example/e?n=${i}` }))
    const other = watch(transport.send(post({ url: 'https://other.example/e' })))
    await flush()
    expect(calls.map((c) => c.url.split('/')[2])).toEqual([...Array(6).fill('hangs.example'), 'other.example'])
    calls[6].answer(new Response(null, { status: 204 }))
    await flush()
    expect(other.result).toMatchObject({ ok: true, attempts: 1 })
  })

  test(`an attempt not answered within ${ATTEMPT_TIMEOUT} ms is aborted, counts as a network error and is retried; the host's next requests go`, async () => {
    const { fetch, calls } = manualFetch()
    const { transport, clock } = world({ env: { fetch } })
    const first = watch(transport.send(post({ url: 'https://c.example/e?n=0' })))
    for (let i = 1; i < 8; i++) transport.send(post({ url: `https://c.example/e?n=${i}` }))
    await flush()
    expect(calls).toHaveLength(6)
    clock.advance(ATTEMPT_TIMEOUT - 1)
    await flush()
    expect(calls.some((c) => c.init.signal!.aborted)).toBe(false)
    clock.advance(1)
    await flush()
    // The 6 hanging attempts are aborted and their slots given to the 2 requests that waited.
    expect(calls.slice(0, 6).every((c) => c.init.signal!.aborted)).toBe(true)
    expect(calls.slice(6).map((c) => c.url)).toEqual(['https://c.example/e?n=6', 'https://c.example/e?n=7'])
    for (const c of calls.slice(6)) c.answer(new Response(null, { status: 204 }))
    // The first request's retry (after its backoff, at most 2 s) is answered.
    for (let ms = 0; ms < 3000 && calls.length < 9; ms += 100) {
      clock.advance(100)
      await flush()
    }
    const retry = calls.find((c, i) => i > 7 && c.url.endsWith('n=0'))!
    retry.answer(new Response(null, { status: 204 }))
    await flush()
    expect(first.result).toEqual({ ok: true, status: 204, attempts: 2, error: undefined })
  })

  test('after an attempt timed out, requests to that host go without keepalive until it answers again (Chromium does not cancel an aborted keepalive request)', async () => {
    const { fetch, calls } = manualFetch()
    const { transport, clock } = world({ env: { fetch } })
    transport.send(post({ url: 'https://slow.example/e?n=0' }))
    await flush()
    clock.advance(ATTEMPT_TIMEOUT)
    await flush()
    transport.send(post({ url: 'https://slow.example/e?n=1' }))
    transport.send(post({ url: 'https://other.example/e' }))
    await flush()
    const sent = (url: string) => calls.filter((c) => c.url == url).map((c) => c.init.keepalive)
    expect(sent('https://slow.example/e?n=0')).toEqual([true])
    expect(sent('https://slow.example/e?n=1')).toEqual([false])
    expect(sent('https://other.example/e')).toEqual([true])
    calls.find((c) => c.url.endsWith('n=1'))!.answer(new Response(null, { status: 204 }))
    await flush()
    transport.send(post({ url: 'https://slow.example/e?n=2' }))
    await flush()
    expect(sent('https://slow.example/e?n=2')).toEqual([true])
  })

  test('without AbortController the timeout still ends the attempt, and a late answer changes nothing', async () => {
    const saved = globalThis.AbortController
    // @ts-expect-error: a browser without AbortController
    delete globalThis.AbortController
    try {
      const { fetch, calls } = manualFetch()
      const { transport, clock } = world({ env: { fetch } })
      const d = watch(transport.send(post()))
      await flush()
      await pass(clock, ATTEMPT_TIMEOUT + 3000)
      expect(calls).toHaveLength(2)
      expect(calls[0].init.signal).toBeUndefined()
      calls[0].answer(new Response(null, { status: 500 }))
      calls[1].answer(new Response(null, { status: 204 }))
      await flush()
      expect(d.result).toEqual({ ok: true, status: 204, attempts: 2, error: undefined })
    } finally {
      globalThis.AbortController = saved
    }
  })

  test.each([
    ['undefined', undefined],
    ['null', null],
    ['{}', {}],
    ['a string', 'ok'],
    ['an object whose status throws', { get status() { throw new Error('no') } }],
  ])("a page's fetch that resolves to %s is a failed attempt: retried, and nothing is thrown", async (_, value) => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      let n = 0
      const fetch = vi.fn(() => Promise.resolve(n++ ? new Response(null, { status: 204 }) : value)) as unknown as typeof globalThis.fetch
      const { transport, clock } = world({ env: { fetch } })
      const d = watch(transport.send(post()))
      await flush()
      expect(d.result).toBeUndefined()
      await pass(clock, 3000)
      expect(d.result).toEqual({ ok: true, status: 204, attempts: 2, error: undefined })
      await new Promise((r) => setTimeout(r, 0))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  test("a page's fetch that rejects with something that cannot be turned into text is a network error", async () => {
    let n = 0
    const hostile = { get message() { throw new Error('no') } }
    const fetch = vi.fn(() => (n++ ? Promise.resolve(new Response(null, { status: 204 })) : Promise.reject(hostile))) as unknown as typeof globalThis.fetch
    const { transport, clock } = world({ env: { fetch } })
    const d = watch(transport.send(post()))
    await pass(clock, 3000)
    expect(d.result).toEqual({ ok: true, status: 204, attempts: 2, error: undefined })
  })
})

describe('sendBeacon', () => {
  test('is not used while the page is visible', async () => {
    const { transport, calls, beacon } = world({ hidden: false })
    await transport.send(post())
    expect(beacon).not.toHaveBeenCalled()
    expect(calls).toHaveLength(1)
  })

  test('is used for a POST without custom headers once the page is hidden', async () => {
    const { transport, calls, beacon } = world({ hidden: true })
    expect(await transport.send(post())).toEqual({ ok: true, status: 0, attempts: 1 })
    expect(beacon).toHaveBeenCalledWith('https://c.example/e', '{"a":1}')
    expect(calls).toHaveLength(0)
  })

  test('is not used for a GET, a POST with headers, or a body over the keepalive budget', async () => {
    const { transport, calls, beacon } = world({ hidden: true })
    await transport.send({ url: 'https://c.example/g' })
    await transport.send(post({ headers: { 'content-type': 'application/json' } }))
    await transport.send(post({ body: 'x'.repeat(60_001) }))
    expect(beacon).not.toHaveBeenCalled()
    expect(calls).toHaveLength(3)
  })

  test('a refused or throwing beacon falls back to fetch', async () => {
    for (const refuse of [
      () => false,
      () => {
        throw new Error('nope')
      },
    ]) {
      const { transport, calls, beacon } = world({ hidden: true, beacon: refuse })
      expect(await transport.send(post())).toMatchObject({ ok: true, status: 200 })
      expect(beacon).toHaveBeenCalledTimes(1)
      expect(calls).toHaveLength(1)
    }
  })

  test('a retry after the page went hidden goes out as a beacon', async () => {
    const { transport, calls, beacon, clock, doc } = world({ hidden: false, answers: ['network'] })
    const d = watch(transport.send(post()))
    await flush()
    doc.visibilityState = 'hidden'
    await pass(clock, 60_000)
    await flush()
    expect(calls).toHaveLength(1)
    expect(beacon).toHaveBeenCalledTimes(1)
    expect(d.result).toEqual({ ok: true, status: 0, attempts: 2 })
  })
})

describe('image requests', () => {
  /** A stand-in for `Image` that loads or fails as told, recording the URLs it was given. */
  const fakeImage = (outcome: 'load' | 'error') => {
    const srcs: string[] = []
    class Img {
      onload: (() => void) | null = null
      onerror: (() => void) | null = null
      set src(v: string) {
        srcs.push(v)
        queueMicrotask(() => (outcome == 'load' ? this.onload?.() : this.onerror?.()))
      }
    }
    return { srcs, window: Object.assign(new EventTarget(), { Image: Img }) as unknown as Window }
  }

  test('kind image uses new Image(), not fetch', async () => {
    const img = fakeImage('load')
    const { transport, calls } = world({ env: { window: img.window } })
    expect(await transport.send({ url: 'https://px.example/i.gif', kind: 'image' })).toEqual({ ok: true, status: 0, attempts: 1 })
    expect(img.srcs).toEqual(['https://px.example/i.gif'])
    expect(calls).toHaveLength(0)
  })

  test('an image endpoint answering with something else still received the request', async () => {
    const img = fakeImage('error')
    const { transport } = world({ env: { window: img.window } })
    expect(await transport.send({ url: 'https://px.example/i', kind: 'image' })).toMatchObject({ ok: true, attempts: 1 })
  })

  test('without Image in the environment it fails without throwing', async () => {
    const { transport } = world({ env: { window: new EventTarget() as unknown as Window } })
    expect(await transport.send({ url: 'https://px.example/i', kind: 'image' })).toMatchObject({ ok: false })
  })
})

describe('the readable fetch (manager.fetch)', () => {
  test('returns the response, with keepalive for small bodies and not for large ones', async () => {
    const { transport, calls } = world({ answers: [201] })
    const res = await transport.fetch('https://api.example/a', { method: 'POST', body: 'small' })
    expect(res.status).toBe(201)
    await transport.fetch('https://api.example/b', { method: 'POST', body: 'x'.repeat(60_001) })
    await transport.fetch('https://api.example/c')
    expect(calls.map((c) => c.init.keepalive)).toEqual([true, false, true])
    expect(calls[0].init).toMatchObject({ method: 'POST', body: 'small' })
  })

  test('the caller may turn keepalive off', async () => {
    const { transport, calls } = world()
    await transport.fetch('https://api.example/a', { keepalive: false })
    expect(calls[0].init.keepalive).toBe(false)
  })

  test('a fetch that throws becomes a rejected promise', async () => {
    const fetch = (() => {
      throw new TypeError('bad init')
    }) as unknown as typeof globalThis.fetch
    const transport = createTransport({ clock: createFakeClock(), random: () => 0.5, fetch, console: recordingConsole().log })
    let p: Promise<Response> | undefined
    expect(() => (p = transport.fetch('https://api.example/'))).not.toThrow()
    await expect(p).rejects.toThrow('bad init')
  })

  test('rejects when there is no fetch in the environment', async () => {
    const { transport } = world({ env: { fetch: undefined } })
    await expect(transport.fetch('https://api.example/')).rejects.toThrow(TypeError)
  })
})

describe('tagrelay/testing: the recording transport', () => {
  test('records what is sent, with JSON and urlencoded bodies parsed whatever the header’s case', async () => {
    const t = createRecordingTransport()
    await t.send({ url: 'https://a.example/', method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } })
    await t.send({ url: 'https://a.example/', method: 'POST', body: 'a=1&b=x', headers: { 'CONTENT-TYPE': 'application/x-www-form-urlencoded' } })
    await t.send({ url: 'https://a.example/i.gif', kind: 'image' })
    expect(t.requests.map((r) => r.json)).toEqual([{ a: 1 }, { a: '1', b: 'x' }, undefined])
    expect(t.requests[2].kind).toBe('image')
  })

  test('answers with what respond says', async () => {
    const t = createRecordingTransport((req) => (req.url.includes('bad') ? { ok: false, status: 500, attempts: 4 } : { ok: true, status: 200, attempts: 1 }))
    await expect(t.send({ url: 'https://a.example/bad' })).resolves.toEqual({ ok: false, status: 500, attempts: 4 })
    expect((await t.fetch('https://a.example/bad')).status).toBe(500)
    expect((await t.fetch('https://a.example/good')).status).toBe(200)
  })

  test('fetch rejects like a network error when respond says nothing could be sent', async () => {
    const t = createRecordingTransport(() => ({ ok: false, status: 0, attempts: 4, error: 'offline' }))
    await expect(t.fetch('https://a.example/')).rejects.toThrow('offline')
    expect(t.requests).toHaveLength(1)
  })

  test('fetch records a Request’s method, headers and body', async () => {
    const t = createRecordingTransport()
    const req = new Request('https://a.example/r', { method: 'PUT', body: '{"x":true}', headers: { 'content-type': 'application/json' } })
    await t.fetch(req)
    await t.fetch(new URL('https://a.example/u'), { method: 'DELETE' })
    expect(t.requests.map((r) => [r.method, r.url, r.json])).toEqual([
      ['PUT', 'https://a.example/r', { x: true }],
      ['DELETE', 'https://a.example/u', undefined],
    ])
  })

  test('waitFor resolves once enough requests arrived and rejects with what it got after its timeout', async () => {
    const t = createRecordingTransport()
    const waiting = t.waitFor(2, 1000)
    t.send({ url: 'https://a.example/1' })
    setTimeout(() => t.send({ url: 'https://a.example/2' }), 1)
    expect((await waiting).map((r) => r.url)).toEqual(['https://a.example/1', 'https://a.example/2'])
    await expect(t.waitFor(3, 20)).rejects.toThrow('expected 3 requests, got 2')
    t.clear()
    expect(t.requests).toEqual([])
  })
})

describe('tagrelay/testing: the fake clock', () => {
  test('advance runs the timers that fall due, in time order, including ones they set', () => {
    const clock = createFakeClock(1000)
    const ran: string[] = []
    clock.setTimeout(() => ran.push(`b@${clock.now()}`), 20)
    clock.setTimeout(() => {
      ran.push(`a@${clock.now()}`)
      clock.setTimeout(() => ran.push(`c@${clock.now()}`), 5)
    }, 10)
    const cancelled = clock.setTimeout(() => ran.push('cancelled'), 15)
    clock.setTimeout(() => ran.push('later'), 100)
    clock.clearTimeout(cancelled)
    clock.advance(50)
    expect(ran).toEqual(['a@1010', 'c@1015', 'b@1020'])
    expect(clock.now()).toBe(1050)
    clock.advance(50)
    expect(ran).toEqual(['a@1010', 'c@1015', 'b@1020', 'later'])
  })

  test('timers due at the same time run in the order they were set', () => {
    const clock = createFakeClock()
    const ran: number[] = []
    for (const n of [1, 2, 3]) clock.setTimeout(() => ran.push(n), 0)
    clock.advance(0)
    expect(ran).toEqual([1, 2, 3])
  })
})
