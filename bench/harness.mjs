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
 * slow library stops early: warm-up within a quarter of `budgetMs`, at least 3 batches; then at
 * least 15 batches measured, more while `budgetMs` lasts).
 */
export async function timeReturn({ api, c }, tools, { batch = 10, batches = 100, warmup = 20, budgetMs = 2000 } = {}) {
  const samples = []
  const warm = performance.now() + budgetMs / 4
  for (let b = 0; b < warmup && (b < 3 || performance.now() < warm); b++) await returnBatch(api, c, tools, batch)
  const stop = performance.now() + budgetMs
  while (samples.length < batches && (samples.length < 15 || performance.now() < stop)) samples.push(await returnBatch(api, c, tools, batch))
  return median(samples)
}

async function returnBatch(api, c, tools, batch) {
  const expected = c.count + batch * tools
  const t0 = performance.now()
  for (let i = 0; i < batch; i++) api.track('Product Viewed', PROPS)
  const t1 = performance.now()
  await c.until(expected)
  return ((t1 - t0) * 1000) / batch // µs
}

/**
 * A full dispatch: from the `track()` call until every one of the `tools` sinks has the event, one
 * event at a time. Median over `events` (at least 30, more while `budgetMs` lasts), after a warm-up
 * as for timeReturn.
 */
export async function timeDispatch({ api, c }, tools, { events = 150, warmup = 30, budgetMs = 2000 } = {}) {
  const samples = []
  const warm = performance.now() + budgetMs / 4
  for (let e = 0; e < warmup && (e < 3 || performance.now() < warm); e++) await dispatchOne(api, c, tools)
  const stop = performance.now() + budgetMs
  while (samples.length < events && (samples.length < 30 || performance.now() < stop)) samples.push(await dispatchOne(api, c, tools))
  return median(samples)
}

async function dispatchOne(api, c, tools) {
  const expected = c.count + tools
  const t0 = performance.now()
  api.track('Product Viewed', PROPS)
  await c.until(expected)
  return (performance.now() - t0) * 1000 // µs
}
