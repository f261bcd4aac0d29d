// A burst in Chromium: `n` (default 10,000) track() calls in one task against the local collector
// (scripts/demo-server.mjs, which records every request), then the count of distinct events that
// arrived. A figure, not a test: it counts, and the time it took is only reported.
//   node bench/burst.mjs [n]     (after `npm run build`)
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../scripts/chromium.mjs'
import { startDemoServer } from '../scripts/demo-server.mjs'

/** Waits until every event arrived, or nothing more arrived for `stall` ms. */
export async function benchBurst(browser, n = 10_000, stall = 60_000) {
  const server = await startDemoServer({ port: 0, quiet: true, root: fileURLToPath(new URL('./pages/', import.meta.url)) })
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url + '/burst.html')
    const events = () => server.collected.filter((r) => r.path == '/collect' && r.body?.event == 'e')
    const distinct = () => new Set(events().map((r) => r.body.n)).size
    while (!server.collected.some((r) => r.body?.event == 'Pageview')) await new Promise((r) => setTimeout(r, 50))
    const began = Date.now()
    await page.evaluate((count) => {
      for (let i = 0; i < count; i++) window.zaraz.track('e', { n: String(i) })
    }, n)
    let last = 0
    let lastAt = Date.now()
    while (distinct() < n && Date.now() - lastAt < stall) {
      await new Promise((r) => setTimeout(r, 250))
      if (events().length != last) {
        last = events().length
        lastAt = Date.now()
      }
    }
    const received = distinct()
    return { sent: n, received, lost: n - received, duplicates: events().length - received, seconds: Math.round((Date.now() - began) / 100) / 10, errors: errors.length }
  } finally {
    await context.close()
    await server.close()
  }
}

if (process.argv[1] == fileURLToPath(import.meta.url)) {
  const browser = await launchChromium()
  try {
    process.stdout.write(JSON.stringify(await benchBurst(browser, Number(process.argv[2]) || 10_000)) + '\n')
  } finally {
    await browser.close()
  }
}
