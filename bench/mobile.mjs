// Mobile start-up: the page a site serves, with tagrelay loaded as the README deploys it, in
// Chromium with the DevTools CPU throttle at 4× (Emulation.setCPUThrottlingRate: a mid-range
// phone), against the same page without a library, interleaved load by load. Pages:
//   none     the page alone (the baseline: Chromium's own parsing and first paint at 4×)
//   generic  the generic build as the README deploys it: the config inline (`window.zarazConfig`), the loader stub inline, `<script async src>` of dist/tagrelay.min.js
//   site     the site build (`tagrelay build`) of the same config, by its snippet.html (stub + async script with SRI)
//   typical  the site build of examples/config/typical.json (GA4, Custom HTML, consent modal), by its snippet
// Per load: every long task (> 50 ms, 'longtask'), and whose scripts ran in it (Long Animation
// Frames' script attribution, bench/attribute.mjs), from the page's first script until the page is
// idle after start-up; and the first pageview's latency: from the moment the core arrived (its
// resource timing's responseEnd; an async script runs as soon as it arrives) to the first hit
// leaving (the collector request's startTime).
//   node bench/mobile.mjs [loads]    (after `npm run build`; VERBOSE=1 prints every load, and our longest scripts)
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { median } from './harness.mjs'
import { ROOT } from './server.mjs'
import { attributeFrames, attributeTasks, summariseLoads } from './attribute.mjs'

export const THROTTLE = 4
export const PAGES = ['none', 'generic', 'site', 'typical']
const LABELS = { none: '(no library)', generic: 'generic build + config', site: 'site build, same config', typical: 'site build, typical.json' }

/** The config of `generic` and `site`: one HTTP Request tool posting every pageview and track to the local collector. */
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

/** Where the site builds are written, under the bench server's /bench/ (removed afterwards; ignored by git). */
const SITES = '/bench/.site/'

/** `tagrelay build` of `configFile` into SITES/<name>/: its snippet (no CSP here: no nonce) and its core's URL path. */
function siteBuild(name, configFile) {
  const base = SITES + name + '/'
  const out = join(ROOT, base)
  execFileSync(process.execPath, [join(ROOT, 'dist/cli/tagrelay.js'), 'build', configFile, '--out', out, '--base', base], { stdio: 'pipe' })
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
  const snippet = readFileSync(join(out, 'snippet.html'), 'utf8').replace(/ nonce="NONCE"/g, '')
  return { head: snippet, core: base + manifest.core.file, ours: base }
}

/** The loader stub as a page pastes it: dist/snippet.min.js without its source-map line. */
const stub = () => readFileSync(join(ROOT, 'dist/snippet.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '')

/** Each page's library: what goes in <head>, the core's URL path, the URL paths of our scripts. */
function prepare() {
  mkdirSync(join(ROOT, SITES), { recursive: true })
  const configFile = join(ROOT, SITES, 'http-request.json')
  writeFileSync(configFile, JSON.stringify(CONFIG))
  return {
    none: { head: '', core: undefined, ours: undefined, hit: false },
    // As the README deploys it: the config, the loader stub inline (it also reads the storage cookie, so the core does not), the core async.
    generic: { head: `<script>window.zarazConfig = ${JSON.stringify(CONFIG)}</script>\n<script>${stub()}</script>\n<script async src="/dist/tagrelay.min.js"></script>`, core: '/dist/tagrelay.min.js', ours: '/dist/', hit: true },
    site: { ...siteBuild('site', configFile), hit: true },
    // Its GA4 waits for consent (none given) and its Custom HTML sends nothing: no hit to wait for.
    typical: { ...siteBuild('typical', join(ROOT, 'examples/config/typical.json')), hit: false },
  }
}

/** The page: a little content, long tasks and long frames observed from its first script. */
const html = (head) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mobile start-up</title>
<script>
  window.__longTasks = []
  window.__frames = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__frames.push({
        start: e.startTime,
        duration: e.duration,
        blockingDuration: e.blockingDuration,
        scripts: e.scripts.map((s) => ({ start: s.startTime, duration: s.duration, executionStart: s.executionStart, sourceURL: s.sourceURL, invoker: s.invoker, invokerType: s.invokerType, sourceFunctionName: s.sourceFunctionName, sourceCharPosition: s.sourceCharPosition, forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration })),
      })
  }).observe({ type: 'long-animation-frame', buffered: true })
</script>
${head}
</head><body><h1>A product page</h1>${'<p>Some text of the page, as a shop has it.</p>'.repeat(50)}</body></html>`

/** One load of `lib` on a fresh context at 4× throttle: the entries, attributed, and the first hit's latency. */
async function loadOnce(browser, server, name, lib) {
  const context = await browser.newContext()
  const page = await context.newPage()
  try {
    const path = `/bench/pages/mobile-${name}.html`
    await page.route(server.url + path, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html(lib.head) }))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
    await page.goto(server.url + path, { waitUntil: 'load' })
    if (lib.hit) await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/collect')), null, { timeout: 30000, polling: 50 })
    // Until the page is idle (what start-up scheduled has run), then a moment for the last entries.
    const raw = await page.evaluate(
      (core) =>
        new Promise((ok) =>
          requestIdleCallback(
            () =>
              setTimeout(() => {
                const resources = performance.getEntriesByType('resource')
                const coreEntry = core && resources.find((e) => e.name.endsWith(core))
                const hit = resources.filter((e) => e.name.includes('/collect')).sort((a, b) => a.startTime - b.startTime)[0]
                ok({ longTasks: window.__longTasks, frames: window.__frames, hitAt: hit?.startTime, firstHitMs: coreEntry && hit ? hit.startTime - coreEntry.responseEnd : undefined })
              }, 200),
            { timeout: 5000 },
          ),
        ),
      lib.core,
    )
    const isOurs = (url) => Boolean(lib.ours) && url.startsWith(server.url + lib.ours)
    return {
      tasks: attributeTasks(raw.longTasks, raw.frames, isOurs),
      frames: attributeFrames(raw.frames, isOurs),
      firstHitMs: raw.firstHitMs,
      // Our scripts of 5 ms or more (what the frames list), for finding which part of start-up is long:
      // the one the first hit left in is the first dispatch.
      scripts: raw.frames
        .flatMap((f) => f.scripts)
        .filter((s) => isOurs(s.sourceURL))
        .map((s) => ({ ...s, sentFirstHit: raw.hitAt >= s.start && raw.hitAt <= s.start + s.duration })),
    }
  } finally {
    await context.close()
  }
}

/** `loads` loads of each page, interleaved (one of each per round); per page: long tasks, tagrelay's share of them, the first hit. */
export async function benchMobileStartup(browser, server, loads = 15) {
  const libs = prepare()
  const loadAverage = { before: loadavg().map((n) => +n.toFixed(2)) }
  const samples = Object.fromEntries(PAGES.map((p) => [p, []]))
  try {
    for (let i = 0; i < loads; i++) for (const name of PAGES) samples[name].push(await loadOnce(browser, server, name, libs[name]))
  } finally {
    rmSync(join(ROOT, SITES), { recursive: true, force: true })
  }
  loadAverage.after = loadavg().map((n) => +n.toFixed(2))
  const summary = (s) => {
    const hits = s.map((x) => x.firstHitMs).filter((x) => x !== undefined)
    return { ...summariseLoads(s), firstHitMedianMs: hits.length ? median(hits) : undefined, firstHitMaxMs: hits.length ? Math.max(...hits) : undefined }
  }
  return { throttle: THROTTLE, loadAverage, ...Object.fromEntries(PAGES.map((p) => [p, summary(samples[p])])), samples }
}

/** The pages with tagrelay on them. */
export const LIBRARY_PAGES = PAGES.filter((p) => p != 'none')

/** One line per page, for the report. */
export function mobileRows(m) {
  const ms = (n) => (n === undefined ? '' : n.toFixed(0) + ' ms')
  const widths = [26, 11, 10, 8, 16, 7, 13, 13, 16]
  const row = (cells) => cells.map((c, i) => String(c)[i ? 'padStart' : 'padEnd'](widths[i])).join('  ')
  return [
    `## Mobile start-up: CPU throttled ${m.throttle}× (tagrelay as <script async src>, ${m.none.loads} loads of each page, interleaved; load average ${m.loadAverage.before.join(' ')} before, ${m.loadAverage.after.join(' ')} after)`,
    row(['page', 'long tasks', 'loads', 'longest', 'tagrelay in', 'caused', 'tagrelay, in', 'tagrelay, in', 'first hit']),
    row(['', '', 'with any', '', 'tasks (loads)', '', 'one task', 'one frame', 'median / max']),
    ...PAGES.map((k) => {
      const s = m[k]
      const o = s.ours
      const ours = k == 'none' ? ['', '', '', ''] : [`${o.longTasks} (${o.loadsWithLongTasks})`, o.caused, ms(o.longestInTaskMs), ms(o.longestInFrameMs)]
      return row([LABELS[k], s.longTasks, `${s.loadsWithLongTasks} of ${s.loads}`, ms(s.longestMs), ...ours, s.firstHitMedianMs === undefined ? '' : `${ms(s.firstHitMedianMs)} / ${ms(s.firstHitMaxMs)}`])
    }),
    `(caused: long tasks that would be 50 ms or less without tagrelay's scripts in them; tagrelay, in one task / frame: the most time its scripts took in one)`,
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
    if (process.env.VERBOSE) {
      for (const p of LIBRARY_PAGES) {
        const longest = m.samples[p].flatMap((s) => s.scripts).sort((a, b) => b.duration - a.duration).slice(0, 12)
        console.log(`\n${p}: tagrelay's longest scripts`)
        for (const s of longest) console.log(`  ${s.duration.toFixed(0).padStart(4)} ms  ${s.invokerType} ${s.invoker}  ${s.sourceURL.replace(server.url, '')}:${s.sourceCharPosition} ${s.sourceFunctionName}  (compiling ${(s.executionStart - s.start).toFixed(0)} ms, forced style/layout ${s.forcedStyleAndLayoutDuration.toFixed(0)} ms)${s.sentFirstHit ? ', sent the first hit' : ''}`)
      }
      console.log(JSON.stringify(Object.fromEntries(PAGES.map((p) => [p, m.samples[p].map((s) => ({ tasks: s.tasks, firstHitMs: s.firstHitMs }))]))))
    }
  } finally {
    await browser.close()
    await server.close()
  }
}
