// Cost per call and start-up in Debian's headless Chromium (/usr/bin/chromium; never downloaded).
// Every page load gets a fresh browser context (fresh storage, cookies, caches).
import { launchChromium } from '../scripts/chromium.mjs'
import { median } from './harness.mjs'

// Nothing leaves the machine: every host name but 127.0.0.1 fails to resolve.
export const launch = () => launchChromium(['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'])

/** A fresh context and page on the bench page, ready for `name`. External requests are counted. */
async function openPage(browser, server, name) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const external = []
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) external.push(r.url())
  })
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(server.url + '/bench/pages/bench.html')
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 15000 })
  await page.evaluate((n) => window.bench.prepare(n), name)
  return { context, page, external, errors }
}

export async function chromiumCalls(browser, server, name, tools) {
  const { context, page, external, errors } = await openPage(browser, server, name)
  try {
    const r = await page.evaluate(([n, t]) => window.bench.calls(n, t), [name, tools])
    return { ...r, external: external.length, errors: errors.length }
  } finally {
    await context.close()
  }
}

/**
 * One start-up on a fresh page: wall time, main-thread script and task time (CDP), long tasks.
 * `mode`: 'inline' (the files' text evaluated, fetched beforehand) or 'src' (script tags).
 */
export async function chromiumStartupOnce(browser, server, name, mode = 'inline') {
  const { context, page, external } = await openPage(browser, server, name)
  try {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
    const before = await metric()
    const r = await page.evaluate(([n, m]) => window.bench.startup(n, m), [name, mode])
    const after = await metric()
    return {
      ...r,
      scriptMs: (after.ScriptDuration - before.ScriptDuration) * 1000,
      taskMs: (after.TaskDuration - before.TaskDuration) * 1000,
      external: external.length,
    }
  } finally {
    await context.close()
  }
}

/** Medians (and long-task totals) of start-up samples. */
export function summariseStartup(samples) {
  const pick = (k) => median(samples.map((s) => s[k]))
  return {
    loads: samples.length,
    ms: pick('ms'),
    scriptMs: pick('scriptMs'),
    taskMs: pick('taskMs'),
    longTasksMedian: pick('longTasks'),
    longTasksTotal: samples.reduce((a, s) => a + s.longTasks, 0),
    longestMs: Math.max(...samples.map((s) => s.longestMs)),
    external: samples.reduce((a, s) => a + s.external, 0),
  }
}
