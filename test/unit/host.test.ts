import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createZaraz } from '../../src/index'
import { createHost, type HostOptions, type ToolDelivery, type ToolHost } from '../../src/tools/host/host'
import { createClientKV } from '../../src/tools/host/client-kv'
import { createCookieJar } from '../../src/tools/host/cookie-jar'
import { describeNote } from '../../src/debug/notes'
import type { TrackedEvent } from '../../src/types/event'
import { createRecordingTransport, createFakeClock, type RecordingTransport } from '../../src/testing/index'
import { browserEnv, type Env } from '../../src/platform/env'
import { trusted } from '../../src/platform/trusted-types'
import { MAX_EARLY_CLIENT_EVENTS } from '../../src/lib/limits'
import type { Tool } from '../../src/config/model'
import type { Client, ClientEventType, ManagedComponent, Manager, MCEvent } from '../../src/types/mc'
import { recordingConsole, resetPage, recordingStorage as recording, cookieOwner } from './helpers'

/** A host on the page's storages and a fake clock, nothing loadable and notes ignored; `o` overrides. */
function plainHost(o: Partial<HostOptions> = {}, clock = createFakeClock()) {
  const h = createHost({
    env: browserEnv({ clock, console: recordingConsole().log }),
    transport: createRecordingTransport(),
    clientKV: createClientKV(clock, localStorage, sessionStorage),
    nonce: undefined,
    builtIns: {},
    timeoutMs: 1000,
    note: () => undefined,
    ...noGate(() => h),
    ...o,
  })
  return h
}

/** A host's consent options without a consent gate: every purpose granted, held deliveries handed straight back. */
const noGate = (h: () => ToolHost): Pick<HostOptions, 'consent' | 'pass'> => ({ consent: () => true, pass: (d) => h().deliver(d) })

/** `s`, recording the name of every method called on it into `used`. */

beforeEach(resetPage)
afterEach(() => {
  document.head.querySelectorAll('script').forEach((s) => s.remove())
})

/** A tool entry for component `component` with all three automated actions and e-commerce on. */
const entry = (component = 'myComp', extra: Record<string, unknown> = {}) => ({
  component,
  automatedActions: { pageview: true, track: true, ecommerce: true },
  settings: { ecommerce: true },
  ...extra,
})

interface MakeOptions {
  tools?: Record<string, ManagedComponent>
  toolTimeoutMs?: number
  env?: Partial<Env>
  nonce?: string
  pageview?: boolean
  debug?: boolean
}

/** A runtime over `tools` (config entries), recording what it sends and says. */
function make(configTools: Record<string, unknown>, o: MakeOptions = {}) {
  const transport = createRecordingTransport()
  const console = recordingConsole()
  if (o.debug) document.cookie = 'zarazDebug=k; path=/'
  const zaraz = createZaraz({
    config: { settings: { ecommerce: true }, tools: configTools, ...(o.debug ? { debugKey: 'k' } : {}) },
    tools: o.tools,
    transport,
    pageview: o.pageview ?? false,
    toolTimeoutMs: o.toolTimeoutMs,
    nonce: o.nonce,
    env: { console: console.log, ...o.env },
  })
  return { zaraz, transport, console }
}

/** A component that records every event of the given types. */
function recorder(types = ['pageview', 'event', 'ecommerce']) {
  const events: MCEvent[] = []
  const component: ManagedComponent = (manager) => {
    for (const t of types) manager.addEventListener(t, (e) => void events.push(e))
  }
  return { events, component }
}

/** Polls `check` until it holds or the deadline passes. */
async function until(check: () => boolean, what: string, ms = 2000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Waits until the lazy chunks asked for so far (e.g. `client-events`) are imported and handed over. */
const chunkLoaded = async () => {
  await vi.dynamicImportSettled()
  await flush()
}

/** Counts the page listeners added and not removed since it was created, per event name (client events listen on window). */
function liveListeners() {
  const add = vi.spyOn(window, 'addEventListener')
  const remove = vi.spyOn(window, 'removeEventListener')
  const count = (name: string) => add.mock.calls.filter((c) => c[0] == name).length - remove.mock.calls.filter((c) => c[0] == name).length
  return Object.assign(count, {
    restore() {
      add.mockRestore()
      remove.mockRestore()
    },
  })
}

/** Lets pending promise callbacks run (no timers involved). */
const flush = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

const settled = (p: Promise<unknown>) => {
  let done = false
  p.then(
    () => (done = true),
    () => (done = true),
  )
  return () => done
}

describe('listeners get MC events', () => {
  test('a pageview listener gets { type, name, payload, client } for the first pageview', async () => {
    const r = recorder()
    make({ a: entry() }, { tools: { myComp: r.component }, pageview: true })
    await until(() => r.events.length == 1, 'the pageview')
    const [e] = r.events
    expect(e.type).toBe('pageview')
    expect(e.name).toBe('Pageview')
    expect(e.payload).toEqual({})
    expect(e.client.url).toBeInstanceOf(URL)
  })

  test('an event listener gets the track name and the properties in its payload', async () => {
    const r = recorder()
    const { zaraz } = make({ a: entry() }, { tools: { myComp: r.component } })
    await zaraz.track('signup', { plan: 'pro', seats: 3, meta: { a: [1, 2] } })
    expect(r.events).toHaveLength(1)
    expect(r.events[0]).toMatchObject({ type: 'event', name: 'signup', payload: { plan: 'pro', seats: 3, meta: { a: [1, 2] } } })
  })

  test('an e-commerce listener gets the e-commerce name and the parameters under payload.ecommerce', async () => {
    const r = recorder()
    const { zaraz } = make({ a: entry() }, { tools: { myComp: r.component } })
    const params = { product_id: 'p1', price: 9.5, quantity: 2, products: [{ sku: 's1' }] }
    await zaraz.ecommerce('Product Added', params)
    expect(r.events).toHaveLength(1)
    expect(r.events[0].type).toBe('ecommerce')
    expect(r.events[0].name).toBe('Product Added')
    expect(r.events[0].payload.ecommerce).toEqual(params)
  })

  test('a custom action type reaches the listener of that type with the action fields', async () => {
    const r = recorder(['conversion'])
    const { zaraz } = make(
      {
        a: {
          component: 'myComp',
          actions: { c1: { actionType: 'conversion', firingTriggers: ['AllTracks'], data: { value: '{{ client.total }}', label: 'x' } } },
        },
      },
      { tools: { myComp: r.component } },
    )
    await zaraz.track('buy', { total: 42 })
    expect(r.events).toHaveLength(1)
    expect(r.events[0]).toMatchObject({ type: 'conversion', name: 'buy', payload: { value: 42, label: 'x' } })
  })

  test('every listener of a type is called, in the order added', async () => {
    const seen: string[] = []
    const comp: ManagedComponent = (m) => {
      m.addEventListener('event', () => void seen.push('first'))
      m.addEventListener('event', () => void seen.push('second'))
    }
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await zaraz.track('x')
    expect(seen).toEqual(['first', 'second'])
  })

  test('an event for a type the tool does not listen to resolves track() without a value', async () => {
    const r = recorder(['pageview'])
    const { zaraz } = make({ a: entry() }, { tools: { myComp: r.component } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: {} })
    expect(r.events).toHaveLength(0)
  })

  test('the component is called once, however many events it gets', async () => {
    const comp = vi.fn<ManagedComponent>((m) => void m.addEventListener('event', () => undefined))
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await zaraz.track('x')
    await zaraz.track('y')
    expect(comp).toHaveBeenCalledTimes(1)
    expect(comp.mock.calls[0][0].name).toBe('myComp')
  })
})

describe('each tool has its own copy', () => {
  test('two tools mutating their payload do not see each other’s changes', async () => {
    const seen: Record<string, unknown> = {}
    const mutator = (id: string): ManagedComponent => (m) => {
      m.addEventListener('event', ({ payload }) => {
        seen[id] = JSON.parse(JSON.stringify(payload))
        payload.plan = id
        payload.meta.tags.push(id)
        delete payload.seats
      })
    }
    const { zaraz } = make({ a: entry('compA'), b: entry('compB') }, { tools: { compA: mutator('a'), compB: mutator('b') } })
    const props = { plan: 'pro', seats: 3, meta: { tags: ['t'] } }
    await zaraz.track('x', props)
    expect(seen.a).toEqual({ plan: 'pro', seats: 3, meta: { tags: ['t'] } })
    expect(seen.b).toEqual({ plan: 'pro', seats: 3, meta: { tags: ['t'] } })
    expect(props).toEqual({ plan: 'pro', seats: 3, meta: { tags: ['t'] } })
  })

  test('a tool mutating e-commerce parameters does not change them for another tool', async () => {
    const seen: unknown[] = []
    const mutator: ManagedComponent = (m) => {
      m.addEventListener('ecommerce', ({ payload }) => {
        seen.push(JSON.parse(JSON.stringify(payload.ecommerce)))
        payload.ecommerce.products[0].price = 0
      })
    }
    const { zaraz } = make({ a: entry(), b: entry() }, { tools: { myComp: mutator } })
    await zaraz.ecommerce('Order Completed', { order_id: 'o1', products: [{ sku: 's', price: 5 }] })
    expect(seen).toEqual([
      { order_id: 'o1', products: [{ sku: 's', price: 5 }] },
      { order_id: 'o1', products: [{ sku: 's', price: 5 }] },
    ])
  })

  test('the settings passed to a component are a copy of its config entry’s settings', async () => {
    const got: Record<string, unknown>[] = []
    const comp: ManagedComponent = (_m, settings) => {
      got.push(JSON.parse(JSON.stringify(settings)))
      settings.nested.id = 'changed'
      settings.added = true
    }
    const config = { a: entry('myComp', { settings: { ecommerce: true, nested: { id: 'a' } } }), b: entry('myComp', { settings: { nested: { id: 'b' } } }) }
    // Each tool's component starts at the tool's first event.
    await make(config, { tools: { myComp: comp } }).zaraz.track('x')
    expect(got).toEqual([{ ecommerce: true, nested: { id: 'a' } }, { nested: { id: 'b' } }])
    expect(config.a.settings).toEqual({ ecommerce: true, nested: { id: 'a' } })
    // A second runtime from the same config object sees the settings as written.
    await make(config, { tools: { myComp: comp } }).zaraz.track('x')
    expect(got.slice(2)).toEqual([{ ecommerce: true, nested: { id: 'a' } }, { nested: { id: 'b' } }])
  })
})

describe('client.return', () => {
  test('return values resolve into track() as { return: { toolId: value } }', async () => {
    const returns =
      (v: unknown): ManagedComponent =>
      (m) =>
        void m.addEventListener('event', ({ client }) => client.return(v))
    const { zaraz } = make(
      { a: entry('compA'), b: entry('compB'), c: entry('compC') },
      { tools: { compA: returns({ id: 1 }), compB: returns('two'), compC: () => undefined } },
    )
    await expect(zaraz.track('x')).resolves.toEqual({ return: { a: { id: 1 }, b: 'two' } })
  })

  test('a value returned after an await in an async listener is included', async () => {
    const comp: ManagedComponent = (m) => {
      m.addEventListener('event', async ({ client }) => {
        await new Promise((r) => setTimeout(r, 1))
        client.return(7)
      })
    }
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { a: 7 } })
  })

  test('an e-commerce listener’s return value resolves ecommerce()', async () => {
    const comp: ManagedComponent = (m) => void m.addEventListener('ecommerce', ({ client, name }) => client.return(name))
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await expect(zaraz.ecommerce('Cart Viewed', {})).resolves.toEqual({ return: { a: 'Cart Viewed' } })
  })
})

describe('isolation', () => {
  const returnsOk: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => client.return('ok'))

  test('a tool whose listener throws does not stop another tool from receiving the event', async () => {
    const thrower: ManagedComponent = (m) =>
      void m.addEventListener('event', () => {
        throw new Error('boom')
      })
    const { zaraz } = make({ bad: entry('bad'), good: entry('good') }, { tools: { bad: thrower, good: returnsOk } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { good: 'ok' } })
    // And the throwing tool keeps getting later events.
    await expect(zaraz.track('y')).resolves.toEqual({ return: { good: 'ok' } })
  })

  test('a listener that throws does not stop the next listener of the same tool', async () => {
    const comp: ManagedComponent = (m) => {
      m.addEventListener('event', () => {
        throw new Error('boom')
      })
      m.addEventListener('event', ({ client }) => client.return('second ran'))
    }
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { a: 'second ran' } })
  })

  test('a tool whose listener rejects does not stop another tool', async () => {
    const rejecter: ManagedComponent = (m) => void m.addEventListener('event', () => Promise.reject(new Error('nope')))
    const { zaraz } = make({ bad: entry('bad'), good: entry('good') }, { tools: { bad: rejecter, good: returnsOk } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { good: 'ok' } })
  })

  test('a component that throws while starting does not stop another tool', async () => {
    const thrower: ManagedComponent = () => {
      throw new Error('cannot start')
    }
    const { zaraz } = make({ bad: entry('bad'), good: entry('good') }, { tools: { bad: thrower, good: returnsOk } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { good: 'ok' } })
  })

  test('a component whose start rejects does not stop another tool', async () => {
    const rejecter: ManagedComponent = () => Promise.reject(new Error('cannot start'))
    const { zaraz } = make({ bad: entry('bad'), good: entry('good') }, { tools: { bad: rejecter, good: returnsOk } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { good: 'ok' } })
  })

  test('a listener that never settles lets track() resolve after toolTimeoutMs with the other tools’ values', async () => {
    const hang: ManagedComponent = (m) => void m.addEventListener('event', () => new Promise<void>(() => undefined))
    const { zaraz } = make({ slow: entry('slow'), good: entry('good') }, { tools: { slow: hang, good: returnsOk }, toolTimeoutMs: 50 })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { good: 'ok' } })
  })

  test('with the fake clock, a hanging listener holds track() until the clock passes the timeout', async () => {
    const clock = createFakeClock()
    const hang: ManagedComponent = (m) => void m.addEventListener('event', () => new Promise<void>(() => undefined))
    const { zaraz } = make({ slow: entry('slow'), good: entry('good') }, { tools: { slow: hang, good: returnsOk }, toolTimeoutMs: 1000, env: { clock } })
    const p = zaraz.track('x')
    const done = settled(p)
    await flush()
    clock.advance(999)
    await flush()
    expect(done()).toBe(false)
    clock.advance(1)
    await expect(p).resolves.toEqual({ return: { good: 'ok' } })
  })

  test('a component that never finishes starting still gets its events once the timeout passed', async () => {
    const clock = createFakeClock()
    const events: string[] = []
    const comp: ManagedComponent = (m) => {
      m.addEventListener('event', ({ name, client }) => {
        events.push(name!)
        client.return('late')
      })
      return new Promise<void>(() => undefined)
    }
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp }, toolTimeoutMs: 100, env: { clock } })
    const p = zaraz.track('x')
    await flush()
    expect(events).toEqual([])
    clock.advance(100)
    await flush()
    expect(events).toEqual(['x'])
    // The held event's own wait ran out at the same time: track() does not wait on it twice.
    await expect(p).resolves.toEqual({ return: {} })
    await expect(zaraz.track('y')).resolves.toEqual({ return: { a: 'late' } })
  })
})

describe('components registered later', () => {
  test('events sent before registerTool are held and delivered in order after it', async () => {
    const { zaraz, console } = make({ a: entry('late') }, { debug: true })
    const ps = [zaraz.track('one', { n: 1 }), zaraz.track('two', { n: 2 }), zaraz.ecommerce('Product Viewed', { sku: 's' })]
    await until(() => console.lines.filter((l) => String(l.args[1]).includes('holding the event')).length == 3, 'three held events')
    const seen: unknown[] = []
    zaraz.registerTool('late', (m) => {
      for (const t of ['event', 'ecommerce'])
        m.addEventListener(t, ({ name, payload, client }) => {
          seen.push([name, payload])
          client.return(name)
        })
    })
    expect(await Promise.all(ps)).toEqual([{ return: { a: 'one' } }, { return: { a: 'two' } }, { return: { a: 'Product Viewed' } }])
    expect(seen).toEqual([
      ['one', { n: 1 }],
      ['two', { n: 2 }],
      ['Product Viewed', { name: 'Product Viewed', ecommerce: { sku: 's' } }],
    ])
  })

  test('the first pageview is not lost when the component is registered after the runtime started', async () => {
    const { zaraz, console } = make({ a: entry('late') }, { pageview: true, debug: true })
    await until(() => console.lines.some((l) => String(l.args[1]).includes('holding the event')), 'the held pageview')
    const r = recorder()
    zaraz.registerTool('late', r.component)
    await until(() => r.events.length == 1, 'the pageview')
    expect(r.events[0].type).toBe('pageview')
  })

  test('a component registered after track() gave up waiting still gets the held events', async () => {
    const clock = createFakeClock()
    const { zaraz } = make({ a: entry('late') }, { toolTimeoutMs: 100, env: { clock } })
    const p = zaraz.track('early')
    await flush()
    clock.advance(100)
    await expect(p).resolves.toEqual({ return: {} })
    const r = recorder()
    zaraz.registerTool('late', r.component)
    await until(() => r.events.length == 1, 'the held event')
    expect(r.events[0].name).toBe('early')
  })

  test('a second component registered under the same name does not replace the first', async () => {
    const first = recorder()
    const second = recorder()
    const { zaraz } = make({ a: entry() }, { tools: { myComp: first.component } })
    zaraz.registerTool('myComp', second.component)
    await zaraz.track('x')
    expect(first.events).toHaveLength(1)
    expect(second.events).toHaveLength(0)
  })
})

/** A host over a recording transport with a fake clock. */
function host(timeoutMs = 1000) {
  const clock = createFakeClock()
  const transport = createRecordingTransport()
  const notes: string[] = []
  const env = browserEnv({ clock, console: recordingConsole().log })
  const h = createHost({
    env,
    transport,
    clientKV: createClientKV(clock, localStorage, sessionStorage),
    nonce: 'n0nce',
    builtIns: {},
    timeoutMs,
    // In words, as debug mode says them.
    note: (tool, m) => notes.push(`${tool}: ${describeNote(m)}`),
    ...noGate(() => h),
  })
  return { h, clock, transport, notes }
}

const tool = (id: string, component: string, permissions?: string[]): Tool => ({
  id,
  component,
  name: id,
  settings: {},
  permissions,
  blocking: [],
  actions: [],
  defaultFields: () => ({}),
  ecommerce: false,
  purpose: undefined,
})

let eventSeq = 0
const delivery = (t: Tool, type: string, payload: Record<string, unknown> = {}, name = 'e'): ToolDelivery => ({
  tool: t,
  type,
  name,
  payload,
  facts: {
    eventId: `ev-${++eventSeq}`,
    time: 1_700_000_000_000,
    url: new URL('https://shop.example/p?q=1'),
    title: 'Shop',
    referer: 'https://ref.example/',
    device: {
      screenWidth: 1920,
      screenHeight: 1080,
      viewportWidth: 800,
      viewportHeight: 600,
      language: 'de-DE',
      userAgent: 'UA/1.0',
      timezoneOffset: -60,
    },
  },
})

describe('the host', () => {
  test('holds at most 200 events for a component that is not there yet, dropping the oldest', async () => {
    const { h, notes } = host(60_000)
    const t = tool('a', 'late')
    const results = Array.from({ length: 201 }, (_, i) => h.deliver(delivery(t, 'event', { n: i })))
    expect(notes.some((n) => n.includes('dropped the oldest'))).toBe(true)
    // The oldest is answered at once, without a value.
    await expect(results[0]).resolves.toBeUndefined()
    const seen: number[] = []
    h.register('late', (m) =>
      void m.addEventListener('event', ({ payload, client }) => {
        seen.push(payload.n)
        client.return(payload.n)
      }),
    )
    expect(await Promise.all(results.slice(1))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
  })

  test('a held event resolves without a value when the component does not arrive in time', async () => {
    const { h, clock } = host(500)
    const p = h.deliver(delivery(tool('a', 'never'), 'event'))
    const done = settled(p)
    clock.advance(499)
    await flush()
    expect(done()).toBe(false)
    clock.advance(1)
    await expect(p).resolves.toBeUndefined()
  })

  test('a component that fails to start answers its events without a value', async () => {
    const { h, notes } = host()
    h.register('bad', () => {
      throw new Error('nope')
    })
    await expect(h.deliver(delivery(tool('a', 'bad'), 'event'))).resolves.toBeUndefined()
    expect(notes.some((n) => n.includes('threw while starting: nope'))).toBe(true)
  })

  test('events held while a built-in loads are delivered once it loaded', async () => {
    const clock = createFakeClock()
    let resolveLoad!: () => void
    const r = recorder()
    const h = plainHost({ builtIns: { slow: () => new Promise((res) => (resolveLoad = () => res({ default: r.component }))) } }, clock)
    const p = h.deliver(delivery(tool('a', 'slow'), 'event', { n: 1 }))
    await flush()
    expect(r.events).toHaveLength(0)
    resolveLoad()
    await p
    expect(r.events.map((e) => e.payload)).toEqual([{ n: 1 }])
  })

  test('a built-in that fails to load answers its held events without a value', async () => {
    const h = plainHost({ builtIns: { broken: () => Promise.reject(new Error('404')) } })
    await expect(h.deliver(delivery(tool('a', 'broken'), 'event'))).resolves.toBeUndefined()
  })

  test('a listener that mutates its payload does not change the delivery it came from', async () => {
    const { h } = host()
    h.register('c', (m) => void m.addEventListener('event', ({ payload }) => void (payload.list.push(2), (payload.x = 'y'))))
    const d = delivery(tool('a', 'c'), 'event', { list: [1] })
    await h.deliver(d)
    expect(d.payload).toEqual({ list: [1] })
  })
})

describe('clientcreated', () => {
  const comp =
    (log: string[]): ManagedComponent =>
    (m) => {
      m.addEventListener('clientcreated', ({ type, client }) => void log.push(`${type}:${client.emitter}`))
      m.addEventListener('event', ({ name }) => void log.push(`event:${name}`))
    }

  test('fires once per visitor per tool, before the tool’s first event', async () => {
    const log: string[] = []
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp(log) } })
    await zaraz.track('one')
    await zaraz.track('two')
    expect(log).toEqual(['clientcreated:browser', 'event:one', 'event:two'])
  })

  test('does not fire again on the next page view of the same visitor', async () => {
    const log: string[] = []
    await make({ a: entry() }, { tools: { myComp: comp(log) } }).zaraz.track('one')
    await make({ a: entry() }, { tools: { myComp: comp(log) } }).zaraz.track('two')
    expect(log).toEqual(['clientcreated:browser', 'event:one', 'event:two'])
  })

  test('fires for each tool separately, and again for a visitor whose storage was cleared', async () => {
    const log: string[] = []
    await make({ a: entry() }, { tools: { myComp: comp(log) } }).zaraz.track('one')
    await make({ a: entry(), b: entry() }, { tools: { myComp: comp(log) } }).zaraz.track('two')
    expect(log).toEqual(['clientcreated:browser', 'event:one', 'event:two', 'clientcreated:browser', 'event:two'])
    localStorage.clear()
    log.length = 0
    await make({ a: entry() }, { tools: { myComp: comp(log) } }).zaraz.track('three')
    expect(log).toEqual(['clientcreated:browser', 'event:three'])
  })
})

describe('the client', () => {
  test('carries the page and device facts, as the MC Client does', async () => {
    document.title = 'My page'
    let client!: Client
    const { zaraz } = make({ a: entry() }, { tools: { myComp: (m) => void m.addEventListener('event', (e) => void (client = e.client)) } })
    await zaraz.track('x')
    expect(client.url).toBeInstanceOf(URL)
    expect(client.url.href).toBe(location.href)
    expect(client.title).toBe('My page')
    expect(client.referer).toBe(document.referrer)
    expect(client.userAgent).toBe(navigator.userAgent)
    expect(client.language).toBe(navigator.language)
    expect(client.emitter).toBe('browser')
    expect(client.ip).toBe('')
    expect(typeof client.timestamp).toBe('number')
    expect(client.timezoneOffset).toBe(new Date().getTimezoneOffset())
    expect(client.screenWidth).toBe(screen.width)
    expect(client.screenHeight).toBe(screen.height)
    expect(client.viewportWidth).toBe(innerWidth)
    expect(client.viewportHeight).toBe(innerHeight)
  })

  test('each event’s client carries the facts of that event', async () => {
    const { h } = host()
    const clients: Client[] = []
    h.register('c', (m) => void m.addEventListener('event', ({ client }) => void clients.push(client)))
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    const c = clients[0]
    expect(c.url.href).toBe('https://shop.example/p?q=1')
    expect([c.title, c.referer, c.userAgent, c.language, c.timestamp, c.timezoneOffset]).toEqual([
      'Shop',
      'https://ref.example/',
      'UA/1.0',
      'de-DE',
      1_700_000_000_000,
      -60,
    ])
    expect([c.screenWidth, c.screenHeight, c.viewportWidth, c.viewportHeight]).toEqual([1920, 1080, 800, 600])
  })

  test('client.fetch sends through the transport, tagged with the event id and the tool id', async () => {
    const sender: ManagedComponent = (m) =>
      void m.addEventListener('event', ({ client, payload }) => {
        client.fetch(`https://collect.example/${payload.n}`, { method: 'POST', body: 'b', headers: { 'X-Key': 'k' } })
      })
    const { zaraz, transport } = make({ a: entry(), b: entry() }, { tools: { myComp: sender } })
    await zaraz.track('x', { n: 1 })
    await zaraz.track('x', { n: 2 })
    const reqs = transport.requests
    expect(reqs.map((r) => [r.toolId, r.url])).toEqual([
      ['a', 'https://collect.example/1'],
      ['b', 'https://collect.example/1'],
      ['a', 'https://collect.example/2'],
      ['b', 'https://collect.example/2'],
    ])
    expect(reqs[0]).toMatchObject({ method: 'POST', body: 'b' })
    // Header names are case-insensitive; the environment's Headers decides their case.
    expect(new Headers(reqs[0].headers).get('x-key')).toBe('k')
    expect(typeof reqs[0].eventId).toBe('string')
    expect(reqs[0].eventId).toBe(reqs[1].eventId)
    expect(reqs[2].eventId).toBe(reqs[3].eventId)
    expect(reqs[0].eventId).not.toBe(reqs[2].eventId)
  })

  test('client.fetch with a URLSearchParams body sends it as a form, as fetch would', async () => {
    const { h, transport } = host()
    h.register('c', (m) =>
      void m.addEventListener('event', ({ client }) => {
        client.fetch('https://x.example/f', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two words' }) })
      }),
    )
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    const [req] = transport.requests
    expect(req.body).toBe('a=1&b=two+words')
    expect(new Headers(req.headers).get('content-type')).toContain('application/x-www-form-urlencoded')
    expect(req.json).toEqual({ a: '1', b: 'two words' })
  })

  test('a tool changing its client.url does not change another tool’s', async () => {
    const seen: string[] = []
    const comp: ManagedComponent = (m) =>
      void m.addEventListener('event', ({ client }) => {
        seen.push(client.url.pathname)
        client.url.pathname = '/changed'
      })
    const { zaraz } = make({ a: entry(), b: entry() }, { tools: { myComp: comp } })
    await zaraz.track('x')
    expect(seen).toEqual([location.pathname, location.pathname])
  })

  test('client.fetch returns true and does not wait for the response', async () => {
    const returned: unknown[] = []
    const { h, transport } = host()
    h.register('c', (m) => void m.addEventListener('event', ({ client }) => void returned.push(client.fetch('https://x.example/'))))
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    expect(returned).toEqual([true])
    expect(transport.requests).toHaveLength(1)
  })

  test('client.execute inserts a script carrying the page nonce, with execute_unsafe_scripts', async () => {
    const added: HTMLScriptElement[] = []
    const observer = new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLScriptElement) added.push(n)
    })
    observer.observe(document, { childList: true, subtree: true })
    const results: unknown[] = []
    const comp: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => void results.push(client.execute('window.__ran = 1')))
    const { zaraz } = make({ a: entry('myComp', { permissions: ['execute_unsafe_scripts'] }) }, { tools: { myComp: comp }, nonce: 'abc123' })
    await zaraz.track('x')
    await until(() => added.length == 1, 'the inserted script')
    observer.disconnect()
    expect(results).toEqual([true])
    // In a block of its own (docs/writing-a-tool.md): the code as given, between braces.
    expect(added[0].textContent).toBe('{\nwindow.__ran = 1\n}')
    expect(added[0].nonce).toBe('abc123')
    // It does not stay in the document.
    expect(added[0].isConnected).toBe(false)
  })

  test('client.set and client.get keep values per tool', async () => {
    const got: unknown[] = []
    const comp: ManagedComponent = (m) =>
      void m.addEventListener('event', ({ client, payload }) => {
        if (payload.v) got.push(client.set('id', payload.v))
        got.push(client.get('id'))
      })
    const { zaraz } = make({ a: entry(), b: entry() }, { tools: { myComp: comp } })
    await zaraz.track('x', { v: 'one' })
    expect(got).toEqual([true, 'one', true, 'one'])
    got.length = 0
    const { zaraz: next } = make({ a: entry(), c: entry() }, { tools: { myComp: comp } })
    await next.track('y')
    // Kept across page views (the default scope is infinite), and not visible to tool c.
    expect(got).toEqual(['one', undefined])
  })

  test('client.get of another tool’s key needs access_extended_client_kv', async () => {
    const got: unknown[] = []
    const writer: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => void client.set('id', 'w'))
    const reader: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => void got.push(client.get('id', 'w')))
    const { zaraz } = make(
      {
        w: entry('writer'),
        plain: entry('reader'),
        ext: entry('reader', { permissions: ['access_client_kv', 'access_extended_client_kv'] }),
      },
      { tools: { writer, reader } },
    )
    await zaraz.track('x')
    expect(got).toEqual([undefined, 'w'])
  })

  test('attachEvent and detachEvent return nothing and never throw, for any event type', async () => {
    const results: unknown[] = []
    const comp: ManagedComponent = (m) => {
      results.push(m.createEventListener('historyChange', () => undefined))
      m.addEventListener('event', ({ client }) => {
        client.attachEvent('historyChange')
        client.detachEvent('historyChange')
        client.attachEvent('nonsense' as never)
        client.return('done')
      })
    }
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { a: 'done' } })
    expect(results).toEqual([true])
  })
})

describe('permissions', () => {
  /** Calls every gated method and records what it answered. */
  const prober =
    (out: Record<string, unknown>): ManagedComponent =>
    (m) =>
      void m.addEventListener('event', ({ client }) => {
        out.fetch = client.fetch('https://c.example/')
        out.execute = client.execute('window.__probe = 1')
        out.set = client.set('k', 'v')
        out.get = client.get('k')
        out.getOther = client.get('k', 'other')
        out.managerFetch = m.fetch('https://m.example/')
        client.return('survived')
      })

  test('a tool with no permissions gets undefined from every gated call, and sends nothing', async () => {
    const out: Record<string, unknown> = {}
    const { zaraz, transport } = make({ a: entry('myComp', { permissions: [] }) }, { tools: { myComp: prober(out) } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { a: 'survived' } })
    expect(out).toEqual({ fetch: undefined, execute: undefined, set: undefined, get: undefined, getOther: undefined, managerFetch: undefined })
    expect(transport.requests).toEqual([])
    expect(document.querySelectorAll('script')).toHaveLength(0)
    expect(Object.keys(localStorage)).toEqual([])
  })

  test('a registered component without a permissions list gets client kv and network requests, not scripts', async () => {
    const out: Record<string, unknown> = {}
    const { zaraz, transport } = make({ a: entry() }, { tools: { myComp: prober(out) } })
    await zaraz.track('x')
    expect(out.fetch).toBe(true)
    expect(out.execute).toBeUndefined()
    expect(out.set).toBe(true)
    expect(out.get).toBe('v')
    expect(out.getOther).toBeUndefined()
    expect(out.managerFetch).toBeInstanceOf(Promise)
    expect(transport.requests.map((r) => r.url)).toEqual(['https://c.example/', 'https://m.example/'])
  })

  test('a missing permission is said in debug mode', async () => {
    const { zaraz, console } = make({ a: entry('myComp', { permissions: [] }) }, { tools: { myComp: prober({}) }, debug: true })
    await zaraz.track('x')
    const said = console.lines.map((l) => String(l.args[1]))
    for (const p of ['client_network_requests', 'execute_unsafe_scripts', 'access_client_kv', 'server_network_requests'])
      expect(said.some((s) => s.includes(`"${p}" permission`))).toBe(true)
  })
})

describe('the manager', () => {
  test('server-only calls answer undefined (or a promise of it) and say so', async () => {
    const { h, notes } = host()
    let m!: Manager
    h.register('c', (manager) => void (m = manager))
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    expect(m.route('/x', () => new Response())).toBeUndefined()
    expect(m.proxy('/x', 'https://t.example')).toBeUndefined()
    expect(m.serve('/x', 'assets')).toBeUndefined()
    expect(m.registerEmbed('e', async () => '')).toBeUndefined()
    await expect(m.get('k')).resolves.toBeUndefined()
    await expect(m.set('k', 'v')).resolves.toBeUndefined()
    await expect(m.useCache('k', () => 1)).resolves.toBeUndefined()
    await expect(m.invalidateCache('k')).resolves.toBeUndefined()
    for (const call of ['route', 'proxy', 'serve', 'registerEmbed', 'get', 'set', 'useCache', 'invalidateCache'])
      expect(notes).toContain(`a: manager.${call} is server-only and does nothing in the browser`)
  })

  test('addEventListener refuses something that is not a function', async () => {
    const { h } = host()
    let m!: Manager
    h.register('c', (manager) => void (m = manager))
    await h.deliver(delivery(tool('a', 'c'), 'pageview'))
    expect(m.addEventListener('event', 'nope' as never)).toBe(false)
    expect(m.addEventListener('event', () => undefined)).toBe(true)
    await expect(h.deliver(delivery(tool('a', 'c'), 'event'))).resolves.toBeUndefined()
  })

  test('manager.fetch returns a Response promise through the transport', async () => {
    let status: number | undefined
    const comp: ManagedComponent = (m) =>
      void m.addEventListener('event', async () => {
        const res = await m.fetch('https://api.example/v1', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } })
        status = res?.status
      })
    const { zaraz, transport } = make({ a: entry() }, { tools: { myComp: comp } })
    await zaraz.track('x')
    expect(status).toBe(204)
    expect(transport.requests).toEqual([
      expect.objectContaining({ url: 'https://api.example/v1', method: 'POST', body: '{"a":1}', json: { a: 1 } }),
    ])
  })

  test('manager.fetch can run while the component starts', async () => {
    const transport: RecordingTransport = createRecordingTransport()
    const comp: ManagedComponent = async (m) => {
      const res = await m.fetch('https://config.example/')
      m.addEventListener('event', ({ client }) => client.return(res?.status))
    }
    const zaraz = createZaraz({ config: { tools: { a: entry() } }, tools: { myComp: comp }, transport, pageview: false, env: { console: recordingConsole().log } })
    await expect(zaraz.track('x')).resolves.toEqual({ return: { a: 204 } })
    expect(transport.requests.map((r) => r.url)).toEqual(['https://config.example/'])
  })
})

describe('client events', () => {
  /** A component that attaches `types` on every pageview and records the client events it gets. */
  const watcher = (types: ClientEventType[], log: MCEvent[], tag = '') => {
    const comp: ManagedComponent = (m) => {
      for (const t of types) m.createEventListener(t, (e) => void log.push({ ...e, name: tag }))
      m.addEventListener('pageview', ({ client }) => {
        for (const t of types) client.attachEvent(t)
      })
    }
    return comp
  }

  /** A runtime with a fake clock whose tool `a` attached `types` on the first pageview. */
  async function attached(types: ClientEventType[], extra: Record<string, unknown> = {}) {
    const clock = createFakeClock()
    const log: MCEvent[] = []
    const r = make({ a: entry() }, { tools: { myComp: watcher(types, log) }, env: { clock }, ...extra })
    await r.zaraz.spaPageview()
    await chunkLoaded()
    return { ...r, clock, log }
  }

  test('the browser listener exists only while some tool is attached to its event', async () => {
    const live = liveListeners()
    let client!: Client
    const comp: ManagedComponent = (m) => {
      m.createEventListener('scroll', () => undefined)
      m.addEventListener('event', (e) => void (client = e.client))
    }
    const { zaraz } = make({ a: entry() }, { tools: { myComp: comp } })
    await zaraz.track('x')
    expect(live('scroll')).toBe(0)
    client.attachEvent('scroll')
    // At once: the host keeps the page's scroll events while the client-events chunk loads…
    expect(live('scroll')).toBe(1)
    await chunkLoaded()
    // …then the chunk's own listener replaces it.
    expect(live('scroll')).toBe(1)
    client.detachEvent('scroll')
    expect(live('scroll')).toBe(0)
    live.restore()
  })

  test('visibilityChange carries the state and the time, with a client of the page', async () => {
    const { log, clock } = await attached(['visibilityChange'])
    document.dispatchEvent(new Event('visibilitychange'))
    expect(log).toHaveLength(1)
    expect(log[0].type).toBe('visibilityChange')
    expect(log[0].payload).toEqual({ visibilityChange: [{ state: document.visibilityState, timestamp: clock.now() }] })
    expect(log[0].client.url.href).toBe(location.href)
    expect(log[0].client.emitter).toBe('browser')
  })

  test('pageHide and pageShow listen on window (pagehide, pageshow), never unload', async () => {
    const add = vi.spyOn(window, 'addEventListener')
    const { log } = await attached(['pageHide', 'pageShow'])
    // (Each twice: the host's keeper while the chunk loaded, then the chunk's listener.)
    expect([...new Set(add.mock.calls.map((c) => c[0]).filter((n) => /page|unload/.test(String(n))))]).toEqual(['pagehide', 'pageshow'])
    window.dispatchEvent(new Event('pagehide'))
    window.dispatchEvent(new Event('pageshow'))
    expect(log.map((e) => e.payload)).toEqual([
      { pageHide: [{ persisted: false, timestamp: expect.any(Number) }] },
      { pageShow: [{ persisted: false, timestamp: expect.any(Number) }] },
    ])
    add.mockRestore()
  })

  test('scroll is throttled to one per 200 ms, the latest position sent at the end of the window', async () => {
    const { log, clock } = await attached(['scroll'])
    for (let i = 0; i < 5; i++) document.dispatchEvent(new Event('scroll'))
    expect(log).toHaveLength(1)
    expect(Object.keys(log[0].payload.scroll[0]).sort()).toEqual(['scrollLeft', 'scrollTop', 'scrollX', 'scrollY', 'target', 'timestamp'])
    clock.advance(199)
    expect(log).toHaveLength(1)
    clock.advance(1)
    expect(log).toHaveLength(2)
    clock.advance(1000)
    expect(log).toHaveLength(2)
    document.dispatchEvent(new Event('scroll'))
    expect(log).toHaveLength(3)
  })

  test('mousemove is throttled to one per 200 ms under "mousemoves"; mousedown and mouseup are not', async () => {
    const { log, clock } = await attached(['mousemove', 'mousedown', 'mouseup'])
    const button = document.createElement('button')
    button.id = 'buy'
    document.body.appendChild(button)
    for (let i = 0; i < 3; i++) button.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: i, clientY: 7 }))
    button.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: 5, clientY: 6 }))
    button.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }))
    button.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    expect(log.map((e) => e.type)).toEqual(['mousemove', 'mousedown', 'mouseup', 'mousedown'])
    expect(log[0].payload.mousemoves[0]).toMatchObject({ clientX: 0, clientY: 7, target: 'button#buy' })
    expect(log[1].payload.mousedown[0]).toMatchObject({ clientX: 5, clientY: 6, target: 'button#buy', altKey: false })
    clock.advance(200)
    expect(log.map((e) => e.type)).toEqual(['mousemove', 'mousedown', 'mouseup', 'mousedown', 'mousemove'])
    expect(log[4].payload.mousemoves[0].clientX).toBe(2)
    button.remove()
  })

  test('resize is debounced by 500 ms and carries the dimensions', async () => {
    const { log, clock } = await attached(['resize'])
    for (let i = 0; i < 3; i++) window.dispatchEvent(new Event('resize'))
    clock.advance(499)
    expect(log).toHaveLength(0)
    clock.advance(1)
    expect(log).toHaveLength(1)
    // The time of the last resize, the one the dimensions are from.
    expect(log[0].payload.dimensions[0]).toMatchObject({ innerWidth: innerWidth, innerHeight: innerHeight, timestamp: clock.now() - 500 })
  })

  test('historyChange fires on SPA navigations (history.pushState), with the new URL and title, not on the first pageview', async () => {
    const clock = createFakeClock()
    const log: MCEvent[] = []
    const transport = createRecordingTransport()
    const start = location.href
    const zaraz = createZaraz({
      config: { historyChange: true, tools: { a: entry() } },
      tools: { myComp: watcher(['historyChange'], log) },
      transport,
      env: { clock, console: recordingConsole().log },
    })
    await until(() => localStorage.getItem('tagrelay_ce_a') != null, 'the first pageview')
    expect(log).toHaveLength(0)
    history.pushState({}, '', '/spa/next?x=1')
    document.title = 'Next'
    clock.advance(0)
    await until(() => log.length == 1, 'the historyChange')
    expect(log[0].type).toBe('historyChange')
    expect(log[0].payload).toEqual({ history: [{ url: new URL('/spa/next?x=1', start).href, title: 'Next', timestamp: clock.now() }] })
    expect(log[0].client.url.pathname).toBe('/spa/next')
    // A manual virtual pageview is a navigation too.
    await zaraz.spaPageview()
    expect(log).toHaveLength(2)
    history.replaceState({}, '', start)
  })

  test('attachments outlive the page view: a tool attached in clientcreated gets events on the next page', async () => {
    const log: MCEvent[] = []
    const comp: ManagedComponent = (m) => {
      m.createEventListener('visibilityChange', (e) => void log.push(e))
      m.addEventListener('clientcreated', ({ client }) => client.attachEvent('visibilityChange'))
      m.addEventListener('pageview', () => undefined)
    }
    await make({ a: entry() }, { tools: { myComp: comp } }).zaraz.spaPageview()
    document.dispatchEvent(new Event('visibilitychange'))
    // Delivered once the client-events chunk is here (on the first run of this file it is still loading).
    await until(() => log.length == 1, 'the visibilityChange')
    // The next page: no clientcreated any more, still attached.
    const live = liveListeners()
    await make({ a: entry() }, { tools: { myComp: comp } }).zaraz.spaPageview()
    await chunkLoaded()
    expect(live('visibilitychange')).toBe(1)
    live.restore()
  })

  test('a client-event listener that throws does not stop another tool’s', async () => {
    const log: MCEvent[] = []
    const thrower: ManagedComponent = (m) => {
      m.createEventListener('pageShow', () => {
        throw new Error('boom')
      })
      m.addEventListener('pageview', ({ client }) => client.attachEvent('pageShow'))
    }
    const { zaraz } = make({ bad: entry('bad'), good: entry('good') }, { tools: { bad: thrower, good: watcher(['pageShow'], log) } })
    await zaraz.spaPageview()
    await chunkLoaded()
    expect(() => window.dispatchEvent(new Event('pageshow'))).not.toThrow()
    expect(log).toHaveLength(1)
  })
})

describe('widgets and host extensions', () => {
  afterEach(() => document.querySelectorAll('[data-tagrelay-widget]').forEach((n) => n.remove()))

  test('registerWidget renders the HTML its callback resolves to at the end of <body>, with provide_widget', async () => {
    const comp: ManagedComponent = (m) => {
      m.registerWidget(async ({ client }) => `<p class="w">Hello from ${client.url.pathname}<script>window.__widgetRan = 1</script></p>`)
      m.addEventListener('pageview', () => undefined)
    }
    const { zaraz } = make({ a: entry('myComp', { permissions: ['provide_widget'] }) }, { tools: { myComp: comp } })
    await zaraz.spaPageview()
    await until(() => document.querySelector('[data-tagrelay-widget="a"]') != null, 'the widget')
    const box = document.querySelector('[data-tagrelay-widget="a"]')!
    expect(box.parentElement).toBe(document.body)
    expect(box.querySelector('p.w')!.firstChild!.textContent).toBe(`Hello from ${location.pathname}`)
    // Inert markup: its scripts do not run.
    expect((window as Window & { __widgetRan?: number }).__widgetRan).toBeUndefined()
  })

  test('a component that throws while starting renders no widget (one registered before the throw included)', async () => {
    const bad: ManagedComponent = (m) => {
      m.registerWidget(async () => '<p>half started</p>')
      throw new Error('broken')
    }
    const good: ManagedComponent = (m) => {
      m.registerWidget(async () => '<p>ok</p>')
      m.addEventListener('pageview', () => undefined)
    }
    const perms = { permissions: ['provide_widget'] }
    const { zaraz } = make({ a: entry('bad', perms), b: entry('good', perms) }, { tools: { bad, good } })
    await zaraz.spaPageview()
    await until(() => document.querySelector('[data-tagrelay-widget="b"]') != null, 'the good widget')
    await flush()
    expect(document.querySelector('[data-tagrelay-widget="a"]')).toBeNull()
  })

  test('registerWidget without provide_widget answers undefined and renders nothing', async () => {
    const got: unknown[] = []
    const comp: ManagedComponent = (m) => {
      got.push(m.registerWidget(async () => '<p>no</p>'))
      m.addEventListener('pageview', () => undefined)
    }
    const { zaraz, console } = make({ a: entry() }, { tools: { myComp: comp }, debug: true })
    await zaraz.spaPageview()
    expect(got).toEqual([undefined])
    expect(document.querySelector('[data-tagrelay-widget]')).toBeNull()
    expect(console.lines.some((l) => String(l.args[1]).includes('"provide_widget" permission'))).toBe(true)
  })

  test('ext.random is the runtime’s random source; ext.dom needs execute_unsafe_scripts', async () => {
    const got: unknown[] = []
    const comp: ManagedComponent = (m) => {
      got.push((m.ext!.random as () => number)())
      got.push((m.ext!.dom as () => unknown)())
    }
    const { zaraz } = make({ a: entry(), b: entry('myComp', { permissions: ['execute_unsafe_scripts'] }) }, { tools: { myComp: comp }, env: { random: () => 0.25 }, nonce: 'n1' })
    await zaraz.track('x')
    expect(got).toEqual([0.25, undefined, 0.25, { document, nonce: 'n1' }])
  })

  test('ext.dom hands over the runtime’s Trusted Types policy where the browser has Trusted Types (Custom HTML inserts through it)', async () => {
    const rules = (_name: string, policy: object) => policy
    Object.defineProperty(window, 'trustedTypes', { value: { createPolicy: rules }, configurable: true })
    try {
      let dom: { trustedTypes?: unknown } | undefined
      const comp: ManagedComponent = (m) => {
        dom = (m.ext!.dom as () => typeof dom)()
      }
      const { zaraz } = make({ b: entry('myComp', { permissions: ['execute_unsafe_scripts'] }) }, { tools: { myComp: comp } })
      await zaraz.track('x')
      expect(dom?.trustedTypes).toBe(trusted(window))
    } finally {
      delete (window as { trustedTypes?: unknown }).trustedTypes
    }
  })
})

describe('vendor cookies', () => {
  test('client.set of a vendor cookie name with scope infinite writes a first-party cookie every tool reads', async () => {
    const got: unknown[] = []
    const writer: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => void client.set('_ga', 'GA1.1.5.6', { scope: 'infinite' }))
    const reader: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => void got.push(client.get('_ga')))
    const { zaraz } = make({ w: entry('writer'), r: entry('reader') }, { tools: { writer, reader } })
    await zaraz.track('x')
    expect(document.cookie).toContain('_ga=GA1.1.5.6')
    expect(got).toEqual(['GA1.1.5.6'])
    expect(Object.keys(localStorage).filter((k) => k.includes('_ga'))).toEqual([])
  })
})

describe('nothing expensive at start-up', () => {
  const pageview = (href = location.href): TrackedEvent => ({
    id: `pv-${++eventSeq}`,
    name: 'Pageview',
    json: '{}',
    setValues: {},
    ecommerce: false,
    time: 1_700_000_000_000,
    page: { href, title: 'T', referrer: '' },
  })

  /** Records which window properties are read (layout: innerWidth, screen…). */
  const watchedWindow = () => {
    const reads = new Set<string>()
    const w = new Proxy(window, {
      get(t, k) {
        reads.add(String(k))
        const v = Reflect.get(t, k, t)
        return typeof v == 'function' ? v.bind(t) : v
      },
    })
    return { w, reads }
  }

  test('creating and preparing the host reads no storage, no cookie and no layout; prepare only starts loading the named built-ins', () => {
    const used: string[] = []
    const [local, session] = [recording(localStorage, used), recording(sessionStorage, used)]
    const cookie = vi.spyOn(cookieOwner(), 'cookie', 'get')
    const { w, reads } = watchedWindow()
    const clock = createFakeClock()
    const never = () => new Promise<never>(() => undefined)
    const builtIns = { named: vi.fn(never), other: vi.fn(never) }
    const load = vi.fn(never)
    const registered = vi.fn<ManagedComponent>()
    const h = createHost({
      env: browserEnv({ clock, window: w, localStorage: local, sessionStorage: session }),
      transport: createRecordingTransport(),
      clientKV: createClientKV(clock, local, session, createCookieJar(document)),
      nonce: undefined,
      builtIns,
      load,
      timeoutMs: 1000,
      note: () => undefined,
      ...noGate(() => h),
    })
    h.register('mine', registered)
    h.prepare([tool('a', 'named'), tool('b', 'mine')])
    h.pageview(pageview())
    h.pageview(pageview(location.href + '#next'))
    expect(builtIns.named).toHaveBeenCalledTimes(1)
    expect(builtIns.other).not.toHaveBeenCalled()
    // A component starts at its tool's first event, not before.
    expect(registered).not.toHaveBeenCalled()
    expect(load).not.toHaveBeenCalled()
    expect([used, cookie.mock.calls]).toEqual([[], []])
    expect([...reads].filter((k) => /inner|outer|screen|scroll|navigator/.test(k))).toEqual([])
    vi.restoreAllMocks()
  })

  test('a tool that uses neither client.get/set nor client events causes no storage, cookie or layout read on its events', async () => {
    const clock = createFakeClock()
    const { w, reads } = watchedWindow()
    const used: string[] = []
    const [local, session] = [recording(localStorage, used), recording(sessionStorage, used)]
    const h = createHost({
      env: browserEnv({ clock, window: w, localStorage: local, sessionStorage: session }),
      transport: createRecordingTransport(),
      clientKV: createClientKV(clock, local, session, createCookieJar(document)),
      nonce: undefined,
      builtIns: {},
      load: () => Promise.reject(new Error('not expected')),
      timeoutMs: 1000,
      note: () => undefined,
      ...noGate(() => h),
    })
    const cookie = vi.spyOn(cookieOwner(), 'cookie', 'get')
    const got: string[] = []
    h.register('c', (m) => void m.addEventListener('pageview', ({ client }) => void got.push(client.url.href)))
    h.pageview(pageview())
    await h.deliver(delivery(tool('a', 'c'), 'pageview'))
    expect(got).toEqual(['https://shop.example/p?q=1'])
    expect([used, cookie.mock.calls]).toEqual([[], []])
    expect([...reads].filter((k) => /inner|outer|screen|scroll|navigator/.test(k))).toEqual([])
    vi.restoreAllMocks()
  })
})

describe('the client-events chunk', () => {
  /** A host whose chunk loader is held until `arrive()`; it then hands over the real chunk. */
  function lazyHost() {
    const clock = createFakeClock()
    let arrive!: () => void
    const load = vi.fn((name: string) =>
      name == 'client-events'
        ? new Promise((resolve) => (arrive = () => resolve(import('../../src/tools/host/client-events'))))
        : Promise.reject(new Error(name)),
    )
    const h = plainHost({ load }, clock)
    return { h, clock, load, arrive: async () => (arrive(), await until(() => load.mock.results[0] != null, 'the load'), await chunkLoaded(), await new Promise((r) => setTimeout(r, 0))) }
  }

  test('is not loaded for tools without client-event listeners, nor for SPA pageviews', async () => {
    const { h, load } = lazyHost()
    h.register('c', (m) => void m.addEventListener('event', () => undefined))
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    h.pageview({ id: 'p1', name: 'Pageview', json: '{}', setValues: {}, ecommerce: false, time: 1, page: { href: 'https://x.example/a', title: '', referrer: '' } })
    h.pageview({ id: 'p2', name: 'Pageview', json: '{}', setValues: {}, ecommerce: false, time: 2, page: { href: 'https://x.example/b', title: '', referrer: '' } })
    expect(load).not.toHaveBeenCalled()
  })

  test('loads on first use and delivers the page events that happened while it loaded, paced as usual', async () => {
    const { h, load, arrive, clock } = lazyHost()
    const log: MCEvent[] = []
    let client!: Client
    h.register('c', (m) => {
      m.createEventListener('scroll', (e) => void log.push(e))
      m.createEventListener('mousedown', (e) => void log.push(e))
      m.addEventListener('event', (e) => void (client = e.client))
    })
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    expect(load.mock.calls).toEqual([['client-events']])
    client.attachEvent('scroll')
    client.attachEvent('mousedown')
    for (let i = 0; i < 3; i++) document.dispatchEvent(new Event('scroll'))
    document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: 4 }))
    expect(log).toHaveLength(0)
    await arrive()
    // Nothing lost: the first scroll at once, the latest at the end of the throttle window; the click.
    expect(log.map((e) => e.type)).toEqual(['scroll', 'mousedown'])
    expect(log[1].payload.mousedown[0]).toMatchObject({ clientX: 4, target: 'body' })
    clock.advance(200)
    expect(log.map((e) => e.type)).toEqual(['scroll', 'mousedown', 'scroll'])
    // Loaded once; later events go straight through.
    document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    expect(log).toHaveLength(4)
    expect(load).toHaveBeenCalledTimes(1)
    client.detachEvent('scroll')
    client.detachEvent('mousedown')
  })

  test(`keeps at most ${MAX_EARLY_CLIENT_EVENTS} page events while it loads, dropping the oldest`, async () => {
    const { h, arrive } = lazyHost()
    const log: MCEvent[] = []
    let client!: Client
    h.register('c', (m) => {
      m.createEventListener('mousedown', (e) => void log.push(e))
      m.addEventListener('event', (e) => void (client = e.client))
    })
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    client.attachEvent('mousedown')
    for (let i = 0; i < MAX_EARLY_CLIENT_EVENTS + 5; i++) document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: i }))
    await arrive()
    const xs = log.map((e) => (e.payload.mousedown as Array<{ clientX: number }>)[0].clientX)
    expect(xs).toEqual(Array.from({ length: MAX_EARLY_CLIENT_EVENTS }, (_, i) => i + 5))
    client.detachEvent('mousedown')
  })

  test('historyChange reaches a tool attached while the chunk loaded, for an SPA pageview sent meanwhile', async () => {
    const { h, arrive } = lazyHost()
    const log: MCEvent[] = []
    h.register('c', (m) => {
      m.createEventListener('historyChange', (e) => void log.push(e))
      m.addEventListener('event', ({ client }) => client.attachEvent('historyChange'))
    })
    h.pageview({ id: 'p1', name: 'Pageview', json: '{}', setValues: {}, ecommerce: false, time: 1, page: { href: location.href, title: 'one', referrer: '' } })
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    h.pageview({ id: 'p2', name: 'Pageview', json: '{}', setValues: {}, ecommerce: false, time: 2, page: { href: 'https://shop.example/next', title: 'two', referrer: '' } })
    expect(log).toHaveLength(0)
    await arrive()
    expect(log.map((e) => e.payload)).toEqual([{ history: [{ url: 'https://shop.example/next', title: 'two', timestamp: 2 }] }])
    expect(log[0].client.url.href).toBe('https://shop.example/next')
    localStorage.clear()
  })

  test('each SPA pageview sent while the chunk loaded gets its own historyChange, with its own URL and title, in order', async () => {
    const { h, arrive } = lazyHost()
    const log: MCEvent[] = []
    h.register('c', (m) => {
      m.createEventListener('historyChange', (e) => void log.push(e))
      m.addEventListener('event', ({ client }) => client.attachEvent('historyChange'))
    })
    const pv = (id: string, time: number, href: string, title: string): TrackedEvent => ({ id, name: 'Pageview', json: '{}', setValues: {}, ecommerce: false, time, page: { href, title, referrer: '' } })
    h.pageview(pv('p1', 1, location.href, 'one'))
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    h.pageview(pv('p2', 2, 'https://shop.example/two', 'two'))
    h.pageview(pv('p3', 3, 'https://shop.example/three', 'three'))
    await arrive()
    expect(log.map((e) => e.payload)).toEqual([
      { history: [{ url: 'https://shop.example/two', title: 'two', timestamp: 2 }] },
      { history: [{ url: 'https://shop.example/three', title: 'three', timestamp: 3 }] },
    ])
    // Each with a client of the page it navigated to.
    expect(log.map((e) => e.client.url.href)).toEqual(['https://shop.example/two', 'https://shop.example/three'])
    localStorage.clear()
  })

  /** The client of a started tool whose component listens to `scroll` (so it may attach it). */
  async function scrollingClient(h: ReturnType<typeof plainHost>) {
    let client!: Client
    h.register('c', (m) => {
      m.createEventListener('scroll', () => undefined)
      m.addEventListener('event', (e) => void (client = e.client))
    })
    await h.deliver(delivery(tool('a', 'c'), 'event'))
    return client
  }

  test('a chunk that fails to load leaves no page listener behind, for attachments asked before or after the failure', async () => {
    const live = liveListeners()
    let fail!: () => void
    const load = vi.fn(() => new Promise((_, reject) => (fail = () => reject(new Error('offline')))))
    const h = plainHost({ load })
    const client = await scrollingClient(h)
    client.attachEvent('scroll')
    expect(live('scroll')).toBe(1)
    fail()
    await flush()
    expect(live('scroll')).toBe(0)
    // Asked again after the failure: nothing is kept for a chunk that is not coming.
    client.attachEvent('mousemove')
    client.attachEvent('scroll')
    expect(live('scroll') + live('mousemove')).toBe(0)
    expect(load).toHaveBeenCalledTimes(1)
    live.restore()
  })

  test('a client-events file that arrives but cannot start (another version) is a note, not an unhandled rejection', async () => {
    const live = liveListeners()
    const notes: string[] = []
    // A file without createClientEvents in it.
    const h = plainHost({ load: () => Promise.resolve({}), note: (id, m) => void notes.push(`${id} ${m}`) })
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const client = await scrollingClient(h)
    client.attachEvent('scroll')
    await flush()
    await new Promise((r) => setTimeout(r, 0))
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
    expect(notes.some((n) => n.includes('#events'))).toBe(true)
    expect(live('scroll')).toBe(0)
    live.restore()
  })
})
