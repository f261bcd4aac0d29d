// Memory under a burst: 100,000 track() calls against a collector that never answers and a tool
// whose component never arrives. What the runtime keeps afterwards is bounded by its limits, not
// by the size of the burst: requests waiting, stored requests, timers.
import { beforeEach, expect, test, vi } from 'vitest'
import { createFakeClock } from '../../src/testing/index'
import { OUTBOX_LIMITS } from '../../src/transport/outbox'
import { httpTool, resetPage, setup } from './helpers'

/** A fake clock that counts the timers still pending. */
function countingClock() {
  const clock = createFakeClock()
  const live = new Set<unknown>()
  return {
    clock: {
      ...clock,
      setTimeout(fn: () => void, ms: number) {
        const h = clock.setTimeout(() => {
          live.delete(h)
          fn()
        }, ms)
        live.add(h)
        return h
      },
      clearTimeout(h: unknown) {
        live.delete(h)
        clock.clearTimeout(h)
      },
    },
    live,
  }
}

beforeEach(resetPage)

test('a burst of 100,000 track() calls leaves bounded queues, outbox and timers behind', async () => {
  const { clock, live } = countingClock()
  // A collector that never answers: an attempt ends only when the transport aborts it (its timeout).
  let open = 0
  let most = 0
  const fetch = vi.fn(
    (_url: string, init: RequestInit) =>
      new Promise<Response>((_, fail) => {
        most = Math.max(most, ++open)
        init.signal!.addEventListener('abort', () => {
          open--
          fail(new DOMException('aborted', 'AbortError'))
        })
      }),
  )
  const { zaraz } = setup(
    { tools: { c: { ...httpTool(), component: 'sender' }, late: { ...httpTool(), component: 'never-registered' } } },
    {
      transport: undefined,
      // Available at once (a built-in would load first, and a burst meanwhile is held, at most 200 per tool).
      tools: {
        sender: (manager) => {
          manager.addEventListener('event', ({ client, payload }) => void client.fetch('https://c.example/e', { method: 'POST', body: JSON.stringify(payload) }))
        },
      },
      env: { clock, fetch: fetch as unknown as typeof globalThis.fetch, localStorage, sendBeacon: undefined },
    },
  )
  let settled = 0
  for (let i = 0; i < 100_000; i++) zaraz.track('burst', { i }).then(() => settled++)
  // Let the bus work through its slices; tool timeouts (5 s) let go of the held events.
  for (let round = 0; round < 2000 && settled < 100_000; round++) {
    clock.advance(1000)
    await new Promise((r) => setTimeout(r, 0))
  }
  expect(settled).toBe(100_000)
  // Requests went out, never more than 6 at a time to the collector: the others wait their turn.
  expect(fetch).toHaveBeenCalled()
  expect(most).toBeLessThanOrEqual(6)
  // Timers left: one per request in flight (its timeout), a handful for the runtime, none per event.
  expect(live.size).toBeLessThanOrEqual(open + 5)
  // The page hides: what is pending is stored, within the outbox's limits.
  document.dispatchEvent(new Event('visibilitychange'))
  window.dispatchEvent(new Event('pagehide'))
  const keys = Object.keys(localStorage).filter((k) => k.startsWith('tagrelay_ob:'))
  expect(keys.length).toBeGreaterThan(0)
  expect(keys.length).toBeLessThanOrEqual(OUTBOX_LIMITS.count)
  expect(keys.reduce((n, k) => n + localStorage.getItem(k)!.length, 0)).toBeLessThanOrEqual(OUTBOX_LIMITS.chars)
}, 120_000)
