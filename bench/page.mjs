// The page side of the Chromium benchmarks (bench/pages/bench.html loads it; bench/chromium.mjs
// drives it). A library's browser files are fetched first and evaluated later as inline scripts,
// so that what is timed is evaluation and work on the main thread, never the network. Start-up is
// also timed the way a site loads a library: `<script src>` elements (mode 'src'), fetched from the
// local server without a cache, so the browser may stream and compile them off the main thread.
import { LIBRARIES } from './libraries.mjs'
import { start, timeReturn, timeDispatch } from './harness.mjs'

let sources = []
let files = []
const evaluate = (i) => {
  const s = document.createElement('script')
  s.text = sources[i]
  document.head.appendChild(s) // an inline script runs at once, synchronously
}
let inline = []
/**
 * A `<script src>`, in order with the others (not async); resolves once it ran. A file the
 * library's docs say to paste inline (tagrelay's loader stub) is evaluated inline instead.
 */
const load = (i) =>
  inline.includes(files[i])
    ? Promise.resolve(evaluate(i))
    : new Promise((ok, fail) => {
        const s = document.createElement('script')
        s.src = files[i]
        s.async = false
        s.onload = ok
        s.onerror = () => fail(new Error(`could not load ${files[i]}`))
        document.head.appendChild(s)
      })
const env = (mode = 'inline') => ({ browser: true, collector: location.origin, evaluate: mode == 'src' ? load : evaluate })

const idle = () => new Promise((ok) => requestIdleCallback(() => ok(), { timeout: 5000 }))

window.bench = {
  async prepare(name) {
    files = LIBRARIES[name].browserFiles
    inline = LIBRARIES[name].inlineFiles || []
    sources = await Promise.all(files.map((f) => fetch(f).then((r) => r.text())))
  },

  /**
   * Evaluation + initialisation + first pageview at one sink; then long tasks until the page is
   * idle. `mode` 'src': the files load as script tags (their download is then timed too).
   */
  async startup(name, mode) {
    const { t0, t1 } = await start(name, env(mode), 1)
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
