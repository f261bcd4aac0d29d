// Consent is checked when data is delivered or sent (CONTRACT §9, docs/consent.md "At the moment it
// happens"): each path from the page to a tool and each request a tool made, one by one, after the
// visitor withdraws (or forgets) a purpose.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createZaraz } from '../../src/index'
import { createRuntime } from '../../src/runtime'
import { createTransport, type Delivery, type OutgoingRequest } from '../../src/transport/transport'
import * as restoreChunk from '../../src/transport/restore'
import type { Stored } from '../../src/transport/outbox'
import { createConsentGate } from '../../src/consent/gate'
import { readConsentSettings } from '../../src/consent/settings'
import { createFakeClock, createRecordingTransport, type FakeClock } from '../../src/testing/index'
import type { Env } from '../../src/platform/env'
import type { Client, ManagedComponent, Manager } from '../../src/types/mc'
import { describeNote } from '../../src/debug/notes'
import { recordingConsole, resetPage } from './helpers'

beforeEach(() => {
  resetPage()
  document.body.innerHTML = ''
})
afterEach(() => {
  document.cookie = 'zarazDebug=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT'
  resetPage()
})

/** Lets chunk imports and promise callbacks run. */
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    await vi.dynamicImportSettled()
    for (let j = 0; j < 30; j++) await Promise.resolve()
  }
}

const CONSENT = { enabled: true, hideModal: true, purposes: { stats: { name: 'Analytics', description: '' } } }
/** Tool `a` (component `comp`) has the purpose `stats`, with every permission a test may need. */
const entry = (extra: Record<string, unknown> = {}) => ({
  component: 'comp',
  defaultPurpose: 'stats',
  permissions: ['client_network_requests', 'server_network_requests', 'execute_unsafe_scripts', 'access_client_kv', 'provide_widget'],
  automatedActions: { pageview: true, track: true },
  ...extra,
})

/** A runtime with tool `a` over `comp`, recording what it sends and, in debug mode, what it says. */
function make(comp: ManagedComponent, o: { debug?: boolean; clock?: FakeClock } = {}) {
  const transport = createRecordingTransport()
  const console = recordingConsole()
  if (o.debug) document.cookie = 'zarazDebug=k; path=/'
  const zaraz = createZaraz({
    config: { debugKey: 'k', consent: CONSENT, tools: { a: entry() } },
    tools: { comp },
    transport,
    pageview: false,
    env: { console: console.log, ...(o.clock && { clock: o.clock }) },
  })
  /** What debug mode said about tool `a`, in words. */
  const said = () => console.lines.filter((l) => l.level == 'info').map((l) => String(l.args[1]))
  return { zaraz, transport, console, said }
}

describe('after withdrawal nothing reaches the tool', () => {
  test('client events (scroll, mousedown) stop when the purpose is refused, are dropped while it is undecided, and reach the tool again once granted; the debugger says so once', async () => {
    const got: string[] = []
    const comp: ManagedComponent = (m) => {
      m.createEventListener('scroll', () => void got.push('scroll'))
      m.createEventListener('mousedown', () => void got.push('mousedown'))
      m.addEventListener('event', ({ client }) => {
        client.attachEvent('scroll')
        client.attachEvent('mousedown')
      })
    }
    const clock = createFakeClock()
    const { zaraz, said } = make(comp, { debug: true, clock })
    zaraz.consent.set({ stats: true })
    await zaraz.track('x')
    await settle()
    // (Scroll is throttled: one per 200 ms window.)
    const both = () => {
      document.dispatchEvent(new Event('scroll'))
      document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
      clock.advance(1000)
    }
    both()
    expect(got).toEqual(['scroll', 'mousedown'])
    zaraz.consent.set({ stats: false })
    both()
    both()
    zaraz.consent.setAll(null)
    both()
    expect(got).toEqual(['scroll', 'mousedown'])
    expect(said().filter((s) => s.includes(' not done'))).toEqual([
      'tool "a": scroll not done: consent for purpose "stats" is refused',
      'tool "a": mousedown not done: consent for purpose "stats" is refused',
    ])
    zaraz.consent.set({ stats: true })
    // Moments: those that happened meanwhile are not delivered now.
    await settle()
    clock.advance(1000)
    expect(got).toEqual(['scroll', 'mousedown'])
    both()
    expect(got).toEqual(['scroll', 'mousedown', 'scroll', 'mousedown'])
  })

  test('a widget renders only while its purpose is granted: checked when it would render and again when its markup arrives', async () => {
    let markup!: (html: string) => void
    const comp: ManagedComponent = (m) => {
      m.registerWidget(() => new Promise<string>((r) => (markup = r)))
      m.addEventListener('event', () => undefined)
    }
    const first = make(comp)
    first.zaraz.consent.set({ stats: true })
    await first.zaraz.track('x')
    await settle()
    first.zaraz.consent.set({ stats: false })
    markup('<p class="late">late</p>')
    await settle()
    expect(document.querySelector('[data-tagrelay-widget]')).toBeNull()

    // Refused between its registration (at the tool's first event) and its rendering: not asked for markup at all.
    resetPage()
    const asked = vi.fn(async () => '<p>w</p>')
    const second = make((m) => {
      m.registerWidget(asked)
      m.addEventListener('event', () => undefined)
    })
    second.zaraz.consent.set({ stats: true })
    const sent = second.zaraz.track('x')
    await Promise.resolve()
    await Promise.resolve()
    second.zaraz.consent.set({ stats: false })
    await sent
    await settle()
    expect(document.querySelector('[data-tagrelay-widget]')).toBeNull()
    expect(asked).not.toHaveBeenCalled()
  })

  test('client.execute, client.set, client.get, manager.fetch, manager.ext.dom and manager.ext.image made after withdrawal do nothing and answer undefined; said in debug mode', async () => {
    let client!: Client
    let manager!: Manager
    const comp: ManagedComponent = (m) => {
      manager = m
      m.addEventListener('event', (e) => void (client = e.client))
    }
    const { zaraz, transport, said } = make(comp, { debug: true })
    zaraz.consent.set({ stats: true })
    await zaraz.track('x')
    await settle()
    const ext = manager.ext as { dom(): unknown; image(url: string, c?: Client): unknown }
    const calls = () => ({
      execute: client.execute('window.__afterWithdrawal = 1'),
      set: client.set('k', 'v'),
      get: client.get('k'),
      fetch: manager.fetch('https://api.example/read'),
      dom: ext.dom(),
      image: ext.image('https://px.example/i.gif', client),
    })
    // Granted: each one works.
    expect(Object.values(calls()).every((v) => v !== undefined)).toBe(true)
    transport.clear()
    zaraz.consent.set({ stats: false })
    expect(calls()).toEqual({ execute: undefined, set: undefined, get: undefined, fetch: undefined, dom: undefined, image: undefined })
    // Undecided (the choice forgotten): not done either; these calls cannot wait for a choice.
    zaraz.consent.setAll(null)
    expect(calls()).toEqual({ execute: undefined, set: undefined, get: undefined, fetch: undefined, dom: undefined, image: undefined })
    expect(transport.requests).toEqual([])
    expect(said()).toContain('tool "a": client.execute not done: consent for purpose "stats" is refused')
    expect(said()).toContain('tool "a": manager.fetch not done: consent for purpose "stats" is not given (yet)')
  })

  test('client.fetch after withdrawal hands nothing to the transport; while the purpose is undecided it does, with the purpose (the transport holds it)', async () => {
    let client!: Client
    const { zaraz, transport } = make((m) => void m.addEventListener('event', (e) => void (client = e.client)))
    zaraz.consent.set({ stats: true })
    await zaraz.track('x')
    zaraz.consent.set({ stats: false })
    expect(client.fetch('https://c.example/refused')).toBeUndefined()
    zaraz.consent.setAll(null)
    expect(client.fetch('https://c.example/undecided')).toBe(true)
    expect(transport.requests.map((r) => [r.url, r.toolId, r.purpose])).toEqual([['https://c.example/undecided', 'a', 'stats']])
  })

  test('a refusal another tab writes to the consent cookie counts here from that moment, even after this page granted the purpose', async () => {
    const got: string[] = []
    let client!: Client
    const { zaraz, transport } = make((m) => {
      m.addEventListener('event', (e) => {
        client = e.client
        got.push(e.name!)
      })
    })
    zaraz.consent.set({ stats: true })
    await zaraz.track('here')
    document.cookie = `zaraz-consent=${JSON.stringify({ stats: false })}; path=/`
    await zaraz.track('after')
    expect(got).toEqual(['here'])
    expect(client.fetch('https://c.example/x')).toBeUndefined()
    expect(transport.requests).toEqual([])
    expect(zaraz.consent.get('stats')).toBe(false)
  })

  describe('an event held for a component that is still loading is passed through the gate again when released', () => {
    /** Tool `a`'s component `comp2` is registered only later (as `zaraz.registerTool` does). */
    const late = () => {
      const got: string[] = []
      const comp: ManagedComponent = (m) => void m.addEventListener('event', (e) => void got.push(e.name!))
      const zaraz = createZaraz({ config: { consent: CONSENT, tools: { a: entry({ component: 'comp2' }) } }, transport: createRecordingTransport(), pageview: false, env: { console: recordingConsole().log } })
      return { zaraz, got, register: () => zaraz.registerTool('comp2', comp) }
    }

    test('refused meanwhile: dropped', async () => {
      const { zaraz, got, register } = late()
      zaraz.consent.set({ stats: true })
      zaraz.track('before').catch(() => undefined)
      await settle()
      zaraz.consent.set({ stats: false })
      register()
      await settle()
      expect(got).toEqual([])
    })

    test('forgotten meanwhile: held by the gate and delivered once granted', async () => {
      const { zaraz, got, register } = late()
      zaraz.consent.set({ stats: true })
      zaraz.track('before').catch(() => undefined)
      await settle()
      zaraz.consent.setAll(null)
      register()
      await settle()
      expect(got).toEqual([])
      zaraz.consent.set({ stats: true })
      await settle()
      expect(got).toEqual(['before'])
    })

    test('still granted: delivered as before', async () => {
      const { zaraz, got, register } = late()
      zaraz.consent.set({ stats: true })
      zaraz.track('before').catch(() => undefined)
      await settle()
      register()
      await settle()
      expect(got).toEqual(['before'])
    })
  })
})

/** A runtime on the real transport: fetch answers from `answer`, the clock is fake, the outbox is localStorage. */
function page(config: unknown, comp: ManagedComponent, answer: (url: string) => number = () => 204, clock: FakeClock = createFakeClock()) {
  const sent: string[] = []
  const fetch = vi.fn((input: RequestInfo | URL) => {
    sent.push(String(input))
    return Promise.resolve(new Response(null, { status: answer(String(input)) }))
  })
  const w = Object.assign(new EventTarget(), { document, screen: {}, navigator: { userAgent: '', language: 'en' } }) as unknown as Window
  const env: Env = { window: w, document, localStorage, sessionStorage, clock, random: Math.random, fetch: fetch as unknown as typeof globalThis.fetch, console: recordingConsole().log }
  const load = (name: string) => (name == 'outbox' ? Promise.resolve(restoreChunk) : Promise.reject(new Error(name)))
  const zaraz = createRuntime({ config, env, load, tools: { comp }, pageview: false })
  return { zaraz, sent, clock, leave: () => w.dispatchEvent(new Event('pagehide')) }
}

const outbox = () =>
  Object.keys(localStorage)
    .filter((k) => k.startsWith('tagrelay_ob:'))
    .map((k) => JSON.parse(localStorage.getItem(k)!) as Stored)

describe('requests, on the real transport in a runtime', () => {
  test('a request held while the purpose is undecided goes out when the visitor grants it through the Consent API', async () => {
    let client!: Client
    const p = page({ consent: CONSENT, tools: { a: entry() } }, (m) => void m.addEventListener('event', (e) => void (client = e.client)))
    p.zaraz.consent.set({ stats: true })
    await p.zaraz.track('x')
    p.zaraz.consent.setAll(null)
    client.fetch('https://c.example/later', { method: 'POST', body: '1' })
    await settle()
    expect(p.sent).toEqual([])
    p.zaraz.consent.set({ stats: true })
    await settle()
    expect(p.sent).toEqual(['https://c.example/later'])
  })

  test('a stored request is judged by the purpose it was made for, also on a page whose config no longer has that purpose', async () => {
    // Page 1: purpose `legacy`; its request fails and waits in the outbox when the page leaves.
    const comp: ManagedComponent = (m) => void m.addEventListener('event', ({ client }) => void client.fetch('https://c.example/old', { method: 'POST', body: '1' }))
    const legacy = { ...CONSENT, purposes: { legacy: { name: 'Old', description: '' } } }
    const one = page({ consent: legacy, tools: { a: entry({ defaultPurpose: 'legacy' }) } }, comp, () => 503)
    one.zaraz.consent.set({ legacy: true })
    await one.zaraz.track('x')
    await settle()
    one.leave()
    expect(outbox().map((e) => [e.r.toolId, e.r.purpose])).toEqual([['a', 'legacy']])

    // Page 2: the config gives tool `a` the purpose `stats` (granted) and has no `legacy`; the
    // visitor's stored choice for `legacy` is refused: the request is dropped, not sent.
    document.cookie = `zaraz-consent=${JSON.stringify({ legacy: false, stats: true })}; path=/`
    const two = page({ consent: CONSENT, tools: { a: entry() } }, comp, () => 204, createFakeClock(one.clock.now()))
    two.clock.advance(2_000)
    await settle()
    two.clock.advance(200)
    await settle()
    expect(two.sent).toEqual([])
    expect(outbox()).toEqual([])
  })
})

/** A transport over a fetch answering `answer`, its consent the test's `choice` for purpose `stats`. */
function transportWorld(answer: (n: number) => number | 'network' = () => 204, o: { hidden?: boolean } = {}) {
  const clock = createFakeClock()
  const state: { choice: boolean | undefined } = { choice: true }
  const sent: string[] = []
  const fetch = vi.fn((input: RequestInfo | URL) => {
    sent.push(String(input))
    const a = answer(sent.length)
    return a == 'network' ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(new Response(null, { status: a }))
  })
  const beacon = vi.fn((_url: string, _data?: BodyInit | null) => true)
  const win = new EventTarget() as unknown as Window
  const doc = Object.assign(new EventTarget(), { visibilityState: o.hidden ? 'hidden' : 'visible' }) as unknown as Document
  const notes: string[] = []
  const env: Env = { clock, random: () => 0.5, window: win, document: doc, localStorage, fetch: fetch as unknown as typeof globalThis.fetch, sendBeacon: beacon, console: recordingConsole().log }
  const load = (name: string) => (name == 'outbox' ? Promise.resolve(restoreChunk) : Promise.reject(new Error(name)))
  const consent = (p?: string) => (p == 'stats' ? state.choice : true)
  const transport = createTransport(env, (m) => notes.push(describeNote(m)), load, consent)
  return { transport, clock, state, sent, beacon, notes, leave: () => win.dispatchEvent(new Event('pagehide')) }
}

const request = (n: number, extra: Partial<OutgoingRequest> = {}): OutgoingRequest => ({ url: `https://c.example/e?n=${n}`, method: 'POST', body: String(n), toolId: 'a', purpose: 'stats', ...extra })
const watch = (p: Promise<Delivery>) => {
  const s: { d?: Delivery } = {}
  p.then((d) => (s.d = d))
  return s
}

describe('the transport asks consent at every attempt', () => {
  test('a request whose purpose is refused is not sent; its promise says why, the debugger says it was dropped', async () => {
    const t = transportWorld()
    t.state.choice = false
    const d = watch(t.transport.send(request(1)))
    await settle()
    expect(t.sent).toEqual([])
    expect(d.d).toMatchObject({ ok: false, attempts: 0 })
    expect(describeNote(d.d!.error!)).toBe('consent for purpose "stats" is refused')
    expect(t.notes).toEqual(['tool "a": consent for purpose "stats" is refused; its request is dropped (from the outbox too)'])
    // A request without a purpose is not the gate's business.
    t.transport.send(request(2, { purpose: undefined }))
    await settle()
    expect(t.sent).toEqual(['https://c.example/e?n=2'])
  })

  test('a retry pending when the purpose is refused is not sent, and leaves the outbox at once once the transport is told', async () => {
    const t = transportWorld((n) => (n == 1 ? 503 : 204))
    t.transport.send(request(1))
    await settle()
    expect(outbox().map((e) => e.r.purpose)).toEqual(['stats'])
    t.state.choice = false
    t.transport.recheck!()
    expect(outbox()).toEqual([])
    t.clock.advance(120_000)
    await settle()
    expect(t.sent).toEqual(['https://c.example/e?n=1'])
  })

  test('a retry whose purpose was refused where the transport was not told (another tab) is not sent at its time, and leaves the outbox', async () => {
    const t = transportWorld((n) => (n == 1 ? 'network' : 204))
    t.transport.send(request(1))
    await settle()
    t.state.choice = false
    t.clock.advance(120_000)
    await settle()
    expect(t.sent).toHaveLength(1)
    expect(outbox()).toEqual([])
  })

  test('a request whose purpose is undecided is not tried, is kept (in the outbox once the page hides) and is sent once granted', async () => {
    const t = transportWorld()
    t.state.choice = undefined
    const d = watch(t.transport.send(request(1)))
    t.clock.advance(120_000)
    await settle()
    expect(t.sent).toEqual([])
    expect(d.d).toBeUndefined()
    t.transport.recheck!()
    expect(t.sent).toEqual([])
    t.state.choice = true
    t.transport.recheck!()
    await settle()
    expect(t.sent).toEqual(['https://c.example/e?n=1'])
    expect(d.d).toMatchObject({ ok: true, attempts: 1 })
  })

  test('a request held while undecided is dropped once refused, and never sent', async () => {
    const t = transportWorld()
    t.state.choice = undefined
    const d = watch(t.transport.send(request(1)))
    t.state.choice = false
    t.transport.recheck!()
    await settle()
    t.state.choice = true
    t.transport.recheck!()
    await settle()
    expect(t.sent).toEqual([])
    expect(describeNote(d.d!.error!)).toBe('consent for purpose "stats" is refused')
  })

  test('on a hidden page a request whose purpose is refused is not beaconed', async () => {
    const t = transportWorld(() => 204, { hidden: true })
    t.state.choice = false
    t.transport.send(request(1))
    t.state.choice = true
    t.transport.send(request(2))
    await settle()
    expect(t.beacon.mock.calls.map((c) => c[0])).toEqual(['https://c.example/e?n=2'])
    expect(t.sent).toEqual([])
  })

  test('the next page view: a stored request carries its tool and purpose; refused there, it is dropped from the outbox unsent, while the others go', async () => {
    const one = transportWorld(() => 503)
    one.transport.send(request(1))
    one.transport.send(request(2, { purpose: 'ads' }))
    await settle()
    one.leave()
    expect(outbox().map((e) => [e.r.toolId, e.r.purpose])).toEqual([
      ['a', 'stats'],
      ['a', 'ads'],
    ])

    // Refused on the next page view: `stats` is dropped, `ads` (granted there: not this test's purpose) goes.
    const two = transportWorld()
    two.state.choice = false
    two.transport.send(request(3, { purpose: undefined }))
    two.clock.advance(2_100)
    await settle()
    two.clock.advance(200)
    await settle()
    expect(two.sent).toEqual(['https://c.example/e?n=3', 'https://c.example/e?n=2'])
    expect(outbox()).toEqual([])
  })

  test('the next page view with the purpose undecided: the stored request stays in the outbox, untried, and goes once granted', async () => {
    const one = transportWorld(() => 503)
    one.transport.send(request(1))
    await settle()
    one.leave()
    const two = transportWorld()
    two.state.choice = undefined
    two.clock.advance(2_100)
    await settle()
    two.clock.advance(200)
    await settle()
    expect(two.sent).toEqual([])
    expect(outbox()).toHaveLength(1)
    two.state.choice = true
    two.transport.recheck!()
    await settle()
    expect(two.sent).toEqual(['https://c.example/e?n=1'])
    expect(outbox()).toEqual([])
  })
})

describe('the consent gate’s check', () => {
  const gateFor = (enabled = true) => {
    const settings = readConsentSettings({ enabled, cookieName: 'c', purposes: { p1: { name: 'A', description: '' } } })
    const deferred: Array<() => void> = []
    const gate = createConsentGate(settings, { document, defer: (fn) => void deferred.push(fn), note: () => undefined })
    return { gate, run: () => deferred.splice(0).forEach((fn) => fn()) }
  }

  test('granted with consent off or without a purpose; otherwise the purpose’s choice; undecided while a bridge loads', async () => {
    expect(gateFor(false).gate.check('p1')).toBe(true)
    const { gate } = gateFor()
    expect(gate.check(undefined)).toBe(true)
    expect(gate.check('p1')).toBeUndefined()
    gate.set({ p1: false }, true)
    expect(gate.check('p1')).toBe(false)
    gate.set({ p1: true }, true)
    expect(gate.check('p1')).toBe(true)
    let loaded!: () => void
    gate.wait(new Promise<void>((r) => (loaded = r)))
    expect(gate.check('p1')).toBeUndefined()
    loaded()
    await settle()
    expect(gate.check('p1')).toBe(true)
  })

  test('the runtime is told once choices may have changed: after set, and once the bridges loaded', async () => {
    const { gate, run } = gateFor()
    const changed = vi.fn()
    gate.changed = changed
    gate.set({ p1: true }, true)
    gate.set({ p1: false }, true)
    expect(changed).not.toHaveBeenCalled()
    run()
    expect(changed).toHaveBeenCalledTimes(1)
    let loaded!: () => void
    gate.wait(new Promise<void>((r) => (loaded = r)))
    loaded()
    await settle()
    expect(changed).toHaveBeenCalledTimes(2)
  })
})
