// The timing loops, the same in the page (Chromium) and in Node (happy-dom). Only
// `performance.now()`; medians; nothing here asserts on time.
import { LIBRARIES } from './libraries.mjs'

export const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const DEADLINE_MS = 15000

/** Counts what the sinks receive; `until(n)` resolves once n hits arrived (or fails at a deadline). */
export function counter() {
  let count = 0
  let target = Infinity
  let done = null
  return {
    hit() {
      count++
      if (done && count >= target) {
        const d = done
        done = null
        d()
      }
    },
    get count() {
      return count
    },
    until(n, what = 'events') {
      if (count >= n) return Promise.resolve()
      target = n
      return new Promise((ok, fail) => {
        const t = setTimeout(() => fail(new Error(`only ${count} of ${n} ${what} reached the tools within ${DEADLINE_MS} ms`)), DEADLINE_MS)
        done = () => {
          clearTimeout(t)
          ok()
        }
      })
    },
  }
}

const PROPS = { sku: 'sku-42', name: 'Linen shirt', price: 39.5, currency: 'EUR', plan: 'pro' }

/**
 * Starts `name` with `tools` sinks; resolves once the first pageview reached every sink.
 * `env`: { browser, lib?, collector, evaluate(i)? }.
 */
export async function start(name, env, tools) {
  const c = counter()
  const t0 = performance.now()
  const api = await LIBRARIES[name].start(env, tools, c.hit)
  await c.until(tools, 'pageviews')
  const t1 = performance.now()
  return { api, c, t0, t1 }
}

/**
 * `track()` returning to the caller: `batch` calls in a row, not awaited, timed together and
 * divided by `batch`; then (untimed) everything they queued is dispatched before the next batch,
 * so that no batch pays for the previous one. Median over `batches`, after `warmup` batches (a
 * slow library stops early once `budgetMs` is spent, with at least 20 batches measured).
 */
export async function timeReturn({ api, c }, tools, { batch = 10, batches = 100, warmup = 20, budgetMs = 4000 } = {}) {
  const samples = []
  const stop = performance.now() + budgetMs
  for (let b = 0; b < warmup + batches && (b < warmup + 20 || performance.now() < stop); b++) {
    const expected = c.count + batch * tools
    const t0 = performance.now()
    for (let i = 0; i < batch; i++) api.track('Product Viewed', PROPS)
    const t1 = performance.now()
    await c.until(expected)
    if (b >= warmup) samples.push(((t1 - t0) * 1000) / batch) // µs
  }
  return median(samples)
}

/**
 * A full dispatch: from the `track()` call until every one of the `tools` sinks has the event, one
 * event at a time. Median over `events` (at least 30 within `budgetMs`), after `warmup`.
 */
export async function timeDispatch({ api, c }, tools, { events = 150, warmup = 30, budgetMs = 4000 } = {}) {
  const samples = []
  const stop = performance.now() + budgetMs
  for (let e = 0; e < warmup + events && (e < warmup + 30 || performance.now() < stop); e++) {
    const expected = c.count + tools
    const t0 = performance.now()
    api.track('Product Viewed', PROPS)
    await c.until(expected)
    const t1 = performance.now()
    if (e >= warmup) samples.push((t1 - t0) * 1000) // µs
  }
  return median(samples)
}
