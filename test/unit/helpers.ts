import { createZaraz, type CreateZarazOptions } from '../../src/index'
import { createRecordingTransport, createFakeClock } from '../../src/testing/index'
import type { ZarazConfig } from '../../src/types/config'
import { browserEnv, type Logger } from '../../src/platform/env'
import { createRuntime, type RuntimeOptions } from '../../src/runtime'

/** A console that records what the runtime says. */
export function recordingConsole() {
  const lines: { level: 'warn' | 'error' | 'info'; args: unknown[] }[] = []
  const log: Logger = {
    warn: (...args) => lines.push({ level: 'warn', args }),
    error: (...args) => lines.push({ level: 'error', args }),
    info: (...args) => lines.push({ level: 'info', args }),
  }
  return { log, lines, count: (level: 'warn' | 'error' | 'info') => lines.filter((l) => l.level == level).length }
}

/** Clears what a previous test left in the happy-dom page. */
export function resetPage() {
  localStorage.clear()
  sessionStorage.clear()
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim()
    if (name) document.cookie = `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`
  }
}

/** An HTTP Request tool entry posting JSON to `endpoint`, with all three automated actions. */
export function httpTool(extra: Record<string, unknown> = {}) {
  return {
    type: 'component',
    component: 'http-request',
    name: 'Collector',
    settings: { ecommerce: true },
    automatedActions: { pageview: true, track: true, ecommerce: true },
    defaultFields: { __setting_endpoint: 'https://collect.example/c', __setting_method: 'post-json', event: '{{ client.__zarazTrack }}' },
    ...extra,
  }
}

export function setup(config: ZarazConfig | unknown, options: Partial<CreateZarazOptions> = {}) {
  const transport = createRecordingTransport()
  const clock = createFakeClock()
  const console = recordingConsole()
  const zaraz = createZaraz({
    config,
    transport,
    pageview: false,
    ...options,
    env: { console: console.log, clock, ...(options.env ?? {}) },
  })
  return { zaraz, transport, clock, console }
}

/** `s`, with the name of every method called on it pushed onto `used` (happy-dom's storage methods cannot be spied on). */
export const recordingStorage = (s: Storage, used: string[]): Storage =>
  new Proxy(s, {
    get: (t, k) => {
      const v = Reflect.get(t, k, t)
      return typeof v == 'function' ? (...a: unknown[]) => (used.push(String(k)), v.apply(t, a)) : v
    },
  })

/** The object in `o`'s prototype chain that defines `key` (to spy on it where the environment put it). */
export const ownerOf = <T extends object>(o: T, key: string): T => {
  let p: object | null = o
  while (p && !Object.getOwnPropertyDescriptor(p, key)) p = Object.getPrototypeOf(p)
  return p as T
}
export const cookieOwner = () => ownerOf(document, 'cookie')

/** Like `setup`, on the runtime itself with a chunk loader as the entry points give one (and the HTTP Request tool, unless `builtIns` says otherwise). */
export function setupWithLoad(cfg: unknown, load: (name: string) => Promise<unknown>, builtIns?: RuntimeOptions['builtIns']) {
  const transport = createRecordingTransport()
  const console = recordingConsole()
  const zaraz = createRuntime({
    config: cfg,
    env: browserEnv({ console: console.log, clock: createFakeClock() }),
    transport,
    load,
    builtIns: builtIns ?? { 'http-request': () => import('../../src/tools/http-request') },
    pageview: false,
  })
  return { zaraz, transport, console }
}

/**
 * Moves a fake clock forward by `ms` a second at a time, letting promise callbacks run in between,
 * as they do in a browser: an answer that is already there is read before the transport's attempt
 * timeout (10 s) can fire in the same `advance`.
 */
export async function pass(clock: { advance(ms: number): void }, ms: number) {
  for (let left = ms; left > 0; left -= 1000) {
    clock.advance(Math.min(1000, left))
    for (let i = 0; i < 30; i++) await Promise.resolve()
  }
}

/** mulberry32: a small seeded random source, so a failing property or fuzz case replays. */
export function seededRandom(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
