// Consent is checked when data leaves, not only when an event is routed: a property over random
// sequences of grant / withdraw / forget / track / client event / collector failure / page hide /
// reload, on the real runtime and transport (only the network, the clock and the window are
// doubles). At the network (fetch, sendBeacon, Image) no request of a tool ever arrives while its
// purpose is not granted at that moment, and every request a tool made is delivered in the end
// unless its purpose was refused while the request still waited.
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import fc from 'fast-check'
import { createRuntime } from '../../src/runtime'
import { createFakeClock, type FakeClock } from '../../src/testing/index'
import type { Env } from '../../src/platform/env'
import type { ManagedComponent } from '../../src/types/mc'
import type { Zaraz } from '../../src/types/zaraz'
import { recordingConsole, resetPage, seededRandom } from './helpers'

beforeEach(resetPage)
afterEach(resetPage)

type Purpose = 'p1' | 'p2'
type Op =
  | { kind: 'grant' | 'withdraw'; p: Purpose }
  | { kind: 'forget' | 'track' | 'scroll' | 'hide' | 'reload' }
  | { kind: 'fail'; n: number; how: 503 | 'network' }
  | { kind: 'tick'; ms: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('grant' as const, 'withdraw' as const), p: fc.constantFrom<Purpose>('p1', 'p2') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'forget' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'track' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'scroll' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fail' as const), n: fc.integer({ min: 1, max: 4 }), how: fc.constantFrom<503 | 'network'>(503, 'network') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(0, 300, 2_500, 31_000) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hide' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
)

/** Which purpose each tool has (`c` has none); `i` sends images. */
const PURPOSES: Record<string, Purpose | undefined> = { a: 'p1', b: 'p2', c: undefined, i: 'p2' }

const config = {
  consent: { enabled: true, hideModal: true, purposes: { p1: { name: 'Analytics', description: '' }, p2: { name: 'Ads', description: '' } } },
  tools: {
    a: { component: 'rec', defaultPurpose: 'p1', settings: { id: 'a' }, automatedActions: { pageview: true, track: true } },
    b: { component: 'rec', defaultPurpose: 'p2', settings: { id: 'b' }, automatedActions: { pageview: true, track: true } },
    c: { component: 'rec', settings: { id: 'c' }, automatedActions: { pageview: true, track: true } },
    i: { component: 'img', defaultPurpose: 'p2', automatedActions: { track: true } },
  },
}

/** Chunks as the script-tag build loads them: client events and the outbox's restore half. */
const load = (name: string): Promise<unknown> => {
  if (name == 'client-events') return import('../../src/tools/host/client-events')
  if (name == 'outbox') return import('../../src/transport/restore')
  return Promise.reject(new Error(`no chunk "${name}"`))
}

/** Lets chunk imports and promise callbacks run. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    await vi.dynamicImportSettled()
    for (let j = 0; j < 30; j++) await Promise.resolve()
  }
}

async function run(ops: Op[], seed: number) {
  resetPage()
  /** What the visitor chose, as the test sees it: the oracle. */
  const choice: Record<Purpose, boolean | undefined> = { p1: undefined, p2: undefined }
  const violations: string[] = []
  /** Requests tools made with client.fetch (accepted for sending), by id, and those delivered. */
  const made = new Map<number, { tool: string; excused: boolean }>()
  const delivered = new Set<number>()
  let ids = 0
  let failures: { n: number; how: 503 | 'network' } = { n: 0, how: 503 }
  // At most this many failed answers in a run: no request reaches the outbox's 20 attempts.
  let failBudget = 15

  /** At the network: the tool a URL belongs to must have its purpose granted now. */
  const arrive = (url: string, how: string) => {
    const tool = new URL(url).pathname.split('/')[1]
    const p = PURPOSES[tool]
    if (p && choice[p] !== true) violations.push(`${how} ${url} while ${p} is ${choice[p]}`)
  }
  const fetch = (input: RequestInfo | URL) => {
    const url = String(input)
    arrive(url, 'fetch')
    if (failures.n > 0 && failBudget > 0) {
      failures.n--
      failBudget--
      return failures.how == 'network' ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(new Response(null, { status: 503 }))
    }
    const id = +new URL(url).pathname.split('/')[3]
    if (id) delivered.add(id)
    return Promise.resolve(new Response(null, { status: 204 }))
  }
  const sendBeacon = (url: string) => {
    arrive(url, 'beacon')
    delivered.add(+new URL(url).pathname.split('/')[3])
    return true
  }
  class Image {
    set src(url: string) {
      arrive(url, 'image')
    }
  }

  /** Tool `settings.id` makes a request for each event and each scroll it gets (it attaches scroll on every event). */
  const rec: ManagedComponent = (manager, settings) => {
    const tool = String(settings.id)
    const request = (client: Parameters<Parameters<typeof manager.addEventListener>[1]>[0]['client'], kind: string) => {
      const id = ++ids
      if (client.fetch(`https://collect.example/${tool}/${kind}/${id}`, { method: 'POST', body: String(id) })) made.set(id, { tool, excused: false })
    }
    manager.addEventListener('pageview', ({ client }) => request(client, 'pageview'))
    manager.addEventListener('event', ({ client }) => {
      client.attachEvent('scroll')
      request(client, 'event')
    })
    manager.createEventListener('scroll', ({ client }) => {
      request(client, 'scroll')
      // A readable fetch too (never retried): it must not leave either while the purpose is not granted.
      manager.fetch(`https://collect.example/${tool}/read/0`)?.catch(() => undefined)
    })
  }
  const img: ManagedComponent = (manager) => {
    manager.addEventListener('event', ({ client }) => {
      ;(manager.ext as { image(url: string, client: unknown): unknown }).image(`https://collect.example/i/image/0`, client)
    })
  }

  let page = 0
  let clock: FakeClock = createFakeClock()
  let w!: Window
  let zaraz!: Zaraz
  const open = async () => {
    page++
    clock = createFakeClock(clock.now() + 1000)
    w = Object.assign(new EventTarget(), { document, scrollX: 0, scrollY: 0, innerWidth: 800, innerHeight: 600, screen: {}, navigator: { userAgent: '', language: 'en' }, Image }) as unknown as Window
    const env: Env = {
      window: w,
      document,
      localStorage,
      sessionStorage,
      clock,
      random: seededRandom(seed * 31 + page),
      fetch: fetch as typeof globalThis.fetch,
      sendBeacon,
      console: recordingConsole().log,
    }
    zaraz = createRuntime({ config, env, load, tools: { rec, img } })
    await settle()
  }
  const consent = (c: Partial<Record<Purpose, boolean>> | null) => {
    if (c) {
      Object.assign(choice, c)
      // A refusal may drop what still waits: those requests are excused from arriving.
      for (const [p, v] of Object.entries(c)) if (v === false) for (const r of made.values()) if (PURPOSES[r.tool] == p) r.excused = true
      zaraz.consent.set(c)
    } else {
      choice.p1 = choice.p2 = undefined
      zaraz.consent.setAll(null)
    }
  }

  await open()
  let n = 0
  for (const o of ops) {
    switch (o.kind) {
      case 'grant':
        consent({ [o.p]: true })
        break
      case 'withdraw':
        consent({ [o.p]: false })
        break
      case 'forget':
        consent(null)
        break
      case 'track':
        zaraz.track('e', { n: ++n }).catch(() => undefined)
        break
      case 'scroll':
        w.dispatchEvent(new Event('scroll'))
        break
      case 'fail':
        failures = { n: o.n, how: o.how }
        break
      case 'tick':
        clock.advance(o.ms)
        break
      case 'hide':
        w.dispatchEvent(new Event('pagehide'))
        break
      case 'reload':
        w.dispatchEvent(new Event('pagehide'))
        await open()
        break
    }
    await settle()
    expect(violations, `after ${JSON.stringify(o)}`).toEqual([])
  }

  // The end: everything granted, the collector healthy, one more page view restores what was kept.
  failures = { n: 0, how: 503 }
  consent({ p1: true, p2: true })
  await settle()
  w.dispatchEvent(new Event('pagehide'))
  await open()
  for (let i = 0; i < 12; i++) {
    clock.advance(31_000)
    await settle()
  }
  expect(violations).toEqual([])
  const lost = [...made].filter(([id, r]) => !r.excused && !delivered.has(id)).map(([id, r]) => `${r.tool}/${id}`)
  expect(lost, 'requests made while granted and never refused since, not delivered').toEqual([])
}

test('no request of a tool reaches the network while its purpose is not granted at that moment, and none made while granted is lost unless refused meanwhile', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1_000_000 }), run),
    { numRuns: 150 },
  )
}, 120_000)
