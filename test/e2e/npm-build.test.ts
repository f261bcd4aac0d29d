// The npm build in real Chromium, on pages of its own (no CSP):
// - with parts of the browser world replaced (`createZaraz({ env })`, documented as "storage,
//   clock, fetch..."): a page's own `window.fetch`, handed over as it is (not bound), still sends.
//   WebIDL methods refuse a `this` that is not their window ("Illegal invocation"), so the
//   transport must not call it as a method of the env object;
// - Custom HTML: an external script's own `onload` / `onerror` attributes still run (the tool
//   waits for the script through listeners of its own, not by replacing those handlers).
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium } from './browser'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/** A page that imports the npm build as a bundler would and calls `createZaraz(<options>)`, then `track(<event>)`. */
const page = (options: string, event: string) => `<!doctype html><title>npm build</title>
<script type="module">
  import { createZaraz } from '/dist/npm/index.js'
  window.order = []
  const zaraz = createZaraz(${options})
  window.tracked = zaraz.track('${event}').then(() => true)
</script>`

const PAGES: Record<string, string> = {
  // The page hands createZaraz its own, unbound, `window.fetch`.
  '/env': page(
    `{
      config: { tools: { c: { component: 'http-request', settings: {}, automatedActions: { track: true },
        defaultFields: { __setting_endpoint: '/collect', __setting_method: 'post-json', event: '{{ client.__zarazTrack }}' } } } },
      pageview: false,
      env: { fetch: window.fetch },
    }`,
    'unbound',
  ),
  // Two external scripts with handlers of their own (one loads, one is a 404), then an inline one.
  '/custom-html': page(
    `{
      config: { tools: { h: { component: 'custom-html', automatedActions: { track: true }, defaultFields: { htmlCode:
        '<script src="/lib.js" onload="window.order.push(\\'onload:\\' + window.lib)"><\\/script>' +
        '<script src="/missing.js" onerror="window.order.push(\\'onerror\\')"><\\/script>' +
        '<script>window.order.push(\\'inline\\')<\\/script>' } } } },
      pageview: false,
    }`,
    'html',
  ),
}

describe('the npm build in Chromium', () => {
  let browser: Browser
  let server: Server
  let origin: string
  const collected: string[] = []
  const problems: string[] = []

  beforeAll(async () => {
    if (!existsSync(DIST + 'npm/index.js')) throw new Error('Missing dist/npm/index.js: run `npm run build` first.')
    server = createServer(async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (PAGES[path]) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        return res.end(PAGES[path])
      }
      if (path == '/lib.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' })
        return res.end('window.lib = 1')
      }
      if (path == '/collect') {
        let body = ''
        for await (const chunk of req) body += chunk
        collected.push(body)
        res.writeHead(204)
        return res.end()
      }
      if (path.startsWith('/dist/') && !path.includes('..'))
        try {
          const js = await readFile(DIST + path.slice('/dist/'.length))
          res.writeHead(200, { 'content-type': 'text/javascript' })
          return res.end(js)
        } catch {
          // 404 below.
        }
      res.writeHead(404)
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    browser = await launchChromium()
  })

  /** Opens one of PAGES and waits for its track() call. */
  async function open(path: string): Promise<Page> {
    const p = await browser.newPage()
    p.on('pageerror', (e) => problems.push(e.message))
    await p.goto(origin + path)
    await p.waitForFunction(() => (window as unknown as { tracked?: Promise<boolean> }).tracked)
    return p
  }
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  test("the page's window.fetch, unbound, sends the tool's request", async () => {
    await open('/env')
    await expect.poll(() => collected.filter((b) => b.includes('"unbound"')).length).toBe(1)
    expect(problems).toEqual([])
  })

  test("Custom HTML: an external script's onload and onerror attributes run, and the scripts still run in order", async () => {
    const p = await open('/custom-html')
    await expect.poll(() => p.evaluate(() => (window as unknown as { order: string[] }).order)).toEqual(['onload:1', 'onerror', 'inline'])
    expect(problems).toEqual([])
  })
})
