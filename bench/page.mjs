// The page side of the Chromium benchmarks (bench/pages/bench.html loads it; bench/chromium.mjs
// drives it). A library's browser files are fetched first and evaluated later as inline scripts,
// so that what is timed is evaluation and work on the main thread, never the network.
import { LIBRARIES } from './libraries.mjs'
import { start, timeReturn, timeDispatch } from './harness.mjs'

let sources = []
const evaluate = (i) => {
  const s = document.createElement('script')
  s.text = sources[i]
  document.head.appendChild(s) // an inline script runs at once, synchronously
}
const env = () => ({ browser: true, collector: location.origin, evaluate })

const idle = () => new Promise((ok) => requestIdleCallback(() => ok(), { timeout: 5000 }))

window.bench = {
  async prepare(name) {
    sources = await Promise.all(LIBRARIES[name].browserFiles.map((f) => fetch(f).then((r) => r.text())))
  },

  /** Evaluation + initialisation + first pageview at one sink; then long tasks until the page is idle. */
  async startup(name) {
    const { t0, t1 } = await start(name, env(), 1)
    await idle()
    const longTasks = window.__longTasks.filter((t) => t.start + t.duration > t0)
    return { ms: t1 - t0, longTasks: longTasks.length, longestMs: Math.max(0, ...longTasks.map((t) => t.duration)) }
  },

  async calls(name, tools) {
    const run = await start(name, env(), tools)
    const returnUs = await timeReturn(run, tools)
    const dispatchUs = await timeDispatch(run, tools)
    return { returnUs, dispatchUs }
  },
}
