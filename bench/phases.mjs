// Where tagrelay's start-up goes, in Chromium: evaluating the loader stub (and the queued
// registerTool), evaluating the bundle (its compilation, the runtime's initialisation and the
// first pageview handed to the bus), and from then until the tool got that pageview. Fresh browser
// context per load, files fetched before timing; medians of BENCH_LOADS loads (default 15).
// `BENCH_PRE_STORAGE=1` touches Web Storage and cookies first (as a page that uses them would).
// Run after `npm run build`: `node bench/phases.mjs`.
import { launch } from './chromium.mjs'
import { startBenchServer } from './server.mjs'
import { median } from './harness.mjs'

const LOADS = Number(process.env.BENCH_LOADS || 15)
const server = await startBenchServer()
const browser = await launch()
const rows = []
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(server.url + '/bench/pages/blank.html')
    rows.push(
      await page.evaluate(async (pre) => {
        const src = await Promise.all(['/dist/snippet.min.js', '/dist/tagrelay.min.js'].map((f) => fetch(f).then((r) => r.text())))
        const run = (text) => {
          const s = document.createElement('script')
          s.text = text
          document.head.appendChild(s)
        }
        if (pre) void (localStorage.length + sessionStorage.length + document.cookie.length)
        let got
        const received = new Promise((ok) => (got = ok))
        window.zarazConfig = { tools: { sink: { component: 'sink', automatedActions: { pageview: true, track: true } } } }
        const t0 = performance.now()
        run(src[0])
        window.zaraz.registerTool('sink', (m) => m.addEventListener('pageview', () => got(performance.now())))
        const t1 = performance.now()
        run(src[1])
        const t2 = performance.now()
        const t3 = await received
        return { stub: t1 - t0, bundle: t2 - t1, toPageview: t3 - t2, total: t3 - t0 }
      }, !!process.env.BENCH_PRE_STORAGE),
    )
    await context.close()
  }
} finally {
  await browser.close()
  await server.close()
}
const ms = (k) => median(rows.map((r) => r[k])).toFixed(2) + ' ms'
console.log(`tagrelay start-up phases, median of ${LOADS} fresh pages:`)
for (const k of ['stub', 'bundle', 'toPageview', 'total']) console.log(`  ${k.padEnd(11)} ${ms(k)}`)
