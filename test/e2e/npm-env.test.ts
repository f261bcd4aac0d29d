// The npm build in real Chromium with parts of the browser world replaced (`createZaraz({ env })`,
// documented as "storage, clock, fetch..."): a page's own `window.fetch`, handed over as it is
// (not bound), still sends. WebIDL methods refuse a `this` that is not their window ("Illegal
// invocation"), so the transport must not call it as a method of the env object.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { launchChromium } from './browser'

vi.setConfig({ expect: { poll: { timeout: 15_000 } } })

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/** The npm build, imported as a bundler would; the page hands createZaraz its own, unbound, `window.fetch`. */
const PAGE = `<!doctype html><title>npm env</title>
<script type="module">
  import { createZaraz } from '/dist/npm/index.js'
  const zaraz = createZaraz({
    config: {
      tools: {
        c: {
          component: 'http-request',
          settings: {},
          automatedActions: { track: true },
          defaultFields: { __setting_endpoint: '/collect', __setting_method: 'post-json', event: '{{ client.__zarazTrack }}' },
        },
      },
    },
    pageview: false,
    env: { fetch: window.fetch },
  })
  window.tracked = zaraz.track('unbound').then(() => true)
</script>`

describe('createZaraz({ env }) in Chromium', () => {
  let browser: Browser
  let server: Server
  let origin: string
  let page: Page
  const collected: string[] = []
  const problems: string[] = []

  beforeAll(async () => {
    if (!existsSync(DIST + 'npm/index.js')) throw new Error('Missing dist/npm/index.js: run `npm run build` first.')
    server = createServer(async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (path == '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        return res.end(PAGE)
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
    page = await browser.newPage()
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(origin + '/')
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  test("the page's window.fetch, unbound, sends the tool's request", async () => {
    const delivered = await page.waitForFunction(() => (window as unknown as { tracked?: Promise<boolean> }).tracked).then((h) => h.jsonValue())
    expect(delivered).toBe(true)
    await expect.poll(() => collected.filter((b) => b.includes('"unbound"')).length).toBe(1)
    expect(problems).toEqual([])
  })
})
