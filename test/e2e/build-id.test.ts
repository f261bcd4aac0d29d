// A core never loads a chunk of another build: the lazily loaded files are named with the build's
// id (`tools/http-request.<id>.min.js`, rollup.config.ts), and the core asks only for its own. Here
// the server also holds files of another build, under the unversioned name and under another id:
// the core never requests them, and its own tool delivers.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureServerAndBrowser } from './browser'

const DIST = join(__dirname, '../../dist')

/** The build id in the names of this dist/'s files (`npm run build` first). */
const distBuildId = () => {
  const file = readdirSync(join(DIST, 'tools')).find((f) => /^http-request\.[0-9a-f]{8}\.min\.js$/.test(f))
  if (!file) throw new Error('dist/tools/http-request.<id>.min.js not found: run `npm run build` first')
  return file.split('.')[1]
}

/** A chunk of another build: it claims to be the HTTP Request tool and marks the page when it runs. */
const FOREIGN = `window.__foreign = (window.__foreign || 0) + 1
;(window.tagrelayChunks ||= []).push(['tool:http-request', { default: function () {}, permissions: [] }])`

describe('a core and the chunks of another build in Chromium', () => {
  const fx = fixtureServerAndBrowser('delivery')

  it('asks only for the files of its own build id, never for another build\'s, and its own tool delivers', async () => {
    const id = distBuildId()
    expect(readFileSync(join(DIST, 'tagrelay.min.js'), 'utf8')).toContain(id)
    const context = await fx.browser.newContext()
    // Files of another build on the same server: the unversioned name, and another id.
    const foreign = new Set(['/dist/tools/http-request.min.js', '/dist/tools/http-request.00000000.min.js'])
    await context.route(/\/dist\/tools\/http-request\.(00000000\.)?min\.js$/, (route) => route.fulfill({ contentType: 'text/javascript', body: FOREIGN }))
    const scripts: string[] = []
    context.on('request', (r) => r.resourceType() == 'script' && scripts.push(new URL(r.url()).pathname))
    const page = await context.newPage()
    await page.goto(fx.server.url + '/index.html')
    await expect.poll(() => fx.server.collected.some((r) => r.path == '/collect' && (r.body as { event?: string })?.event == 'Pageview'), { timeout: 30_000 }).toBe(true)

    const chunks = scripts.filter((s) => s.startsWith('/dist/') && !['/dist/tagrelay.min.js', '/dist/snippet.min.js'].includes(s))
    expect(chunks).toContain(`/dist/tools/http-request.${id}.min.js`)
    for (const s of chunks) expect(s).toMatch(new RegExp(`\\.${id}\\.min\\.js$`))
    expect(scripts.filter((s) => foreign.has(s))).toEqual([])
    expect(await page.evaluate(() => (window as unknown as { __foreign?: number }).__foreign)).toBeUndefined()
    await context.close()
  })
})
