// Mobile start-up: the page a site serves, with tagrelay loaded as the README deploys it
// (`<script async src>`, the config inline), in Chromium with the DevTools CPU throttle at 4×
// (Emulation.setCPUThrottlingRate: a mid-range phone), against the same page without a library,
// the two interleaved load by load. Per load: every long task (> 50 ms, PerformanceObserver
// 'longtask', from the start of the page until it is idle after the first hit), and the first
// pageview's latency: from the moment the core arrived (its resource timing's responseEnd; an async
// script runs as soon as it arrives) to the first hit leaving (the collector request's startTime).
//   node bench/mobile.mjs [loads]    (after `npm run build`)
import { median } from './harness.mjs'

export const THROTTLE = 4

/** The config: one HTTP Request tool posting every pageview and track to the local collector. */
const CONFIG = {
  tools: {
    hits: {
      component: 'http-request',
      settings: {},
      automatedActions: { pageview: true, track: true },
      defaultFields: { __setting_endpoint: '/collect', __setting_method: 'post-json', event: '{{ client.__zarazTrack }}', page: '{{ system.page.url.href }}' },
    },
  },
}

/** The page: a little content, long tasks observed from its first script; `lib`: with tagrelay. */
const html = (lib) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mobile start-up</title>
<script>
  window.__longTasks = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
</script>
${lib ? `<script>window.zarazConfig = ${JSON.stringify(CONFIG)}</script>\n<script async src="/dist/tagrelay.min.js"></script>` : ''}
</head><body><h1>A product page</h1>${'<p>Some text of the page, as a shop has it.</p>'.repeat(50)}</body></html>`

/** One load of `lib` ('none' or 'tagrelay') on a fresh context at 4× throttle. */
async function loadOnce(browser, server, lib) {
  const context = await browser.newContext()
  const page = await context.newPage()
  try {
    const path = `/bench/pages/mobile-${lib}.html`
    await page.route(server.url + path, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html(lib == 'tagrelay') }))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
    await page.goto(server.url + path, { waitUntil: 'load' })
    if (lib == 'tagrelay') await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/collect')), null, { timeout: 30000, polling: 50 })
    // Until the page is idle (what start-up scheduled has run), then a moment for the last entries.
    return await page.evaluate(
      () =>
        new Promise((ok) =>
          requestIdleCallback(
            () =>
              setTimeout(() => {
                const resources = performance.getEntriesByType('resource')
                const core = resources.find((e) => e.name.endsWith('/dist/tagrelay.min.js'))
                const hit = resources.filter((e) => e.name.includes('/collect')).sort((a, b) => a.startTime - b.startTime)[0]
                ok({
                  longTasks: window.__longTasks.length,
                  longestMs: Math.max(0, ...window.__longTasks.map((t) => t.duration)),
                  firstHitMs: core && hit ? hit.startTime - core.responseEnd : undefined,
                })
              }, 200),
            { timeout: 5000 },
          ),
        ),
    )
  } finally {
    await context.close()
  }
}

/** `loads` loads of each page, interleaved; per page: long tasks (total, loads with any, longest) and the first hit's latency. */
export async function benchMobileStartup(browser, server, loads = 15) {
  const samples = { none: [], tagrelay: [] }
  for (let i = 0; i < loads; i++) for (const lib of ['none', 'tagrelay']) samples[lib].push(await loadOnce(browser, server, lib))
  const summary = (s) => ({
    loads: s.length,
    longTasksTotal: s.reduce((a, x) => a + x.longTasks, 0),
    loadsWithLongTasks: s.filter((x) => x.longTasks).length,
    longestMs: Math.max(...s.map((x) => x.longestMs)),
    firstHitMedianMs: s[0].firstHitMs === undefined ? undefined : median(s.map((x) => x.firstHitMs)),
    firstHitMaxMs: s[0].firstHitMs === undefined ? undefined : Math.max(...s.map((x) => x.firstHitMs)),
  })
  return { throttle: THROTTLE, none: summary(samples.none), tagrelay: summary(samples.tagrelay), samples }
}

/** One line per page, for the report. */
export function mobileRows(m) {
  const ms = (n) => (n === undefined ? '' : n.toFixed(0) + ' ms')
  return [
    `## Mobile start-up: CPU throttled ${m.throttle}× (tagrelay as <script async src>, ${m.tagrelay.loads} loads each, interleaved with the same page without it)`,
    `${'page'.padEnd(28)}  ${'long tasks'.padStart(12)}  ${'loads with any'.padStart(14)}  ${'longest'.padStart(8)}  ${'first hit (median / max)'.padStart(24)}`,
    ...['none', 'tagrelay'].map((k) => {
      const s = m[k]
      const label = k == 'none' ? '(no library)' : 'tagrelay.min.js + config'
      return `${label.padEnd(28)}  ${String(s.longTasksTotal).padStart(12)}  ${`${s.loadsWithLongTasks} of ${s.loads}`.padStart(14)}  ${ms(s.longestMs).padStart(8)}  ${(s.firstHitMedianMs === undefined ? '' : `${ms(s.firstHitMedianMs)} / ${ms(s.firstHitMaxMs)}`).padStart(24)}`
    }),
  ]
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const { launch } = await import('./chromium.mjs')
  const { startBenchServer } = await import('./server.mjs')
  const server = await startBenchServer()
  const browser = await launch()
  try {
    const m = await benchMobileStartup(browser, server, Number(process.argv[2]) || 15)
    console.log(mobileRows(m).join('\n'))
    if (process.env.VERBOSE) console.log(JSON.stringify(m.samples))
  } finally {
    await browser.close()
    await server.close()
  }
}
