// The demo server on its own (no browser): static files, CSP and nonces, the snippet, the
// collector's parsing and answers, the /__collected endpoints. See docs/demo.md.
import { existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadDemoServerModule, startDemoServer, type DemoServer } from './demo-server'

const SNIPPET_FILE = fileURLToPath(new URL('../../dist/snippet.min.js', import.meta.url))

/** Sends a request line as-is (fetch would normalise `..` away) and returns the status code. */
function rawStatus(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    })
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (data += chunk))
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1])))
    socket.on('error', reject)
  })
}

function nonceOf(csp: string | null): string {
  const m = /script-src 'nonce-([^']+)' 'self'/.exec(csp ?? '')
  if (!m) throw new Error(`no script-src nonce in CSP: ${csp}`)
  return m[1]
}

describe('scripts/demo-server.mjs', () => {
  let server: DemoServer

  beforeAll(async () => {
    server = await startDemoServer({ port: 0, quiet: true })
  })
  afterAll(async () => {
    await server?.close()
  })
  beforeEach(() => server.clear())

  it('listens on a free port when asked for port 0', () => {
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  })

  it('serves the shop with a strict CSP, a fresh nonce per response, and the snippet inlined', async () => {
    const first = await fetch(server.url + '/')
    const second = await fetch(server.url + '/index.html')
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const csp = first.headers.get('content-security-policy') ?? ''
    const nonce = nonceOf(csp)
    expect(csp).toBe(
      `default-src 'self'; script-src 'nonce-${nonce}' 'self'; style-src 'self' 'nonce-${nonce}'; ` +
        `img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'`,
    )
    expect(csp).not.toMatch(/unsafe-/)
    expect(nonceOf(second.headers.get('content-security-policy'))).not.toBe(nonce)

    const html = await first.text()
    await second.text()
    expect(html).not.toContain('%NONCE%')
    expect(html).not.toContain('<!-- tagrelay:snippet -->')
    const scriptTags = html.match(/<script\b[^>]*>/g) ?? []
    const executable = scriptTags.filter((t) => !/type="application\/json"/.test(t))
    expect(executable.length).toBeGreaterThanOrEqual(4) // snippet, stub calls, bundle, shop.js
    for (const tag of executable) expect(tag, tag).toContain(`nonce="${nonce}"`)
    expect(html).toMatch(/<script async src="\/dist\/tagrelay\.min\.js" nonce="[^"]+"><\/script>/)
    expect(html).not.toMatch(/\son[a-z]+=/i) // no inline event handler attributes
    expect(html).not.toMatch(/\sstyle=/i) // no inline style attributes

    if (!existsSync(SNIPPET_FILE)) throw new Error('dist/snippet.min.js is missing: run `npm run build` first')
    const snippet = readFileSync(SNIPPET_FILE, 'utf8').replace(/<\/(script)/gi, '<\\/$1')
    expect(html).toContain(`<script nonce="${nonce}">${snippet}</script>`)
  })

  it('serves static files with their content types, 404s the rest, and never leaves its roots', async () => {
    const types: Record<string, string> = {
      '/shop.js': 'text/javascript; charset=utf-8',
      '/shop.css': 'text/css; charset=utf-8',
      '/favicon.svg': 'image/svg+xml',
    }
    for (const [path, type] of Object.entries(types)) {
      const res = await fetch(server.url + path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toBe(type)
      await res.arrayBuffer()
    }
    const bundle = await fetch(server.url + '/dist/tagrelay.min.js')
    expect(bundle.status, 'dist/tagrelay.min.js (run `npm run build` first)').toBe(200)
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(bundle.headers.get('content-security-policy')).toBeNull()
    await bundle.arrayBuffer()
    expect((await fetch(server.url + '/no-such-file.js')).status).toBe(404)
    expect((await fetch(server.url + '/dist/no-such-file.js')).status).toBe(404)
    for (const target of [
      '/../package.json',
      '/../../../../etc/passwd',
      '/dist/../package.json',
      '/%2e%2e/package.json',
      '/dist/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/dist/..%2f..%2fpackage.json',
      '/..%5cpackage.json',
      '/%00',
      '/%E0%A4%A',
    ]) {
      expect(await rawStatus(server.port, target), target).toBe(404)
    }
  })

  it('records collector requests in every body format and answers 204 with CORS', async () => {
    const post = (path: string, type: string | null, body: string) =>
      fetch(server.url + path, { method: 'POST', headers: type ? { 'content-type': type } : {}, body })

    const json = await post('/collect', 'application/json', JSON.stringify({ tool: 'collector', event: 'x', n: 1 }))
    expect(json.status).toBe(204)
    expect(json.headers.get('access-control-allow-origin')).toBe('*')
    expect((await post('/collect/form?a=1', 'application/x-www-form-urlencoded', 'event=signup&plan=pro&t=1&t=2')).status).toBe(204)
    expect((await post('/collect', 'text/plain;charset=UTF-8', '{"event":"beacon","tool":"collector"}')).status).toBe(204)
    expect((await post('/collect', 'text/plain', 'just text')).status).toBe(204)
    expect((await fetch(server.url + '/collect', { method: 'PUT' })).status).toBe(204)

    expect(server.collected.map((r) => [r.method, r.path, r.query, r.body])).toEqual([
      ['POST', '/collect', {}, { tool: 'collector', event: 'x', n: 1 }],
      ['POST', '/collect/form', { a: '1' }, { event: 'signup', plan: 'pro', t: ['1', '2'] }],
      ['POST', '/collect', {}, { event: 'beacon', tool: 'collector' }],
      ['POST', '/collect', {}, 'just text'],
      ['PUT', '/collect', {}, null],
    ])
    const first = server.collected[0]
    expect(first.headers['content-type']).toBe('application/json')
    expect(Math.abs(first.at - Date.now())).toBeLessThan(60_000)
  })

  it('answers a CORS preflight without recording it, and an image request with a 1×1 GIF', async () => {
    const preflight = await fetch(server.url + '/collect', {
      method: 'OPTIONS',
      headers: { origin: 'http://elsewhere.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type')
    expect(server.collected).toEqual([])

    const pixel = await fetch(server.url + '/collect/pixel?tool=pixel&e=Pageview&path=%2F')
    expect(pixel.status).toBe(200)
    expect(pixel.headers.get('content-type')).toBe('image/gif')
    const gif = Buffer.from(await pixel.arrayBuffer())
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a')
    expect(gif.readUInt16LE(6)).toBe(1)
    expect(gif.readUInt16LE(8)).toBe(1)
    expect(server.collected).toHaveLength(1)
    expect(server.collected[0]).toMatchObject({ method: 'GET', path: '/collect/pixel', query: { tool: 'pixel', e: 'Pageview', path: '/' }, body: null })
  })

  it('exposes the recorded requests at /__collected and clears them with DELETE', async () => {
    await fetch(server.url + '/collect?e=one&tool=t')
    const list = await fetch(server.url + '/__collected')
    expect(list.status).toBe(200)
    const recorded = (await list.json()) as Array<{ query: Record<string, string> }>
    expect(recorded).toHaveLength(1)
    expect(recorded[0].query).toEqual({ e: 'one', tool: 't' })

    const collectedRef = server.collected
    expect((await fetch(server.url + '/__collected', { method: 'DELETE' })).status).toBe(204)
    expect(server.collected).toHaveLength(0)
    expect(collectedRef).toBe(server.collected) // cleared in place
    expect(await (await fetch(server.url + '/__collected')).json()).toEqual([])
  })

  it('delays the bundle, and only the bundle, by delayBundleMs', async () => {
    const slow = await startDemoServer({ port: 0, quiet: true, delayBundleMs: 250 })
    try {
      const t0 = Date.now()
      await (await fetch(slow.url + '/dist/tagrelay.min.js')).arrayBuffer()
      expect(Date.now() - t0).toBeGreaterThanOrEqual(240)
      // The other files are not held back: they answer while a bundle request is still waiting.
      const pending = fetch(slow.url + '/dist/tagrelay.min.js').then(() => 'bundle')
      const other = fetch(slow.url + '/shop.js').then(() => 'shop.js')
      expect(await Promise.race([pending, other])).toBe('shop.js')
      await pending
    } finally {
      await slow.close()
    }
  })

  it('prints one readable line per collected request', async () => {
    const { formatLogLine } = await loadDemoServerModule()
    const at = new Date(2024, 0, 2, 18, 3, 11, 204).getTime()
    const line = formatLogLine({
      at,
      method: 'POST',
      path: '/collect',
      query: {},
      headers: {},
      body: { tool: 'collector', event: 'Product Added', ecommerce: { product_id: 'sku-1' }, system: { page: {} } },
    })
    expect(line).toBe('18:03:11.204  Product Added        collector  {"ecommerce":{"product_id":"sku-1"}}')
    const pixel = formatLogLine({ at, method: 'GET', path: '/collect/pixel', query: { tool: 'pixel', e: 'Pageview', path: '/' }, headers: {}, body: null })
    expect(pixel).toBe('18:03:11.204  Pageview             pixel      GET /collect/pixel  {"path":"/"}')
    const long = formatLogLine({ at, method: 'POST', path: '/collect', query: {}, headers: {}, body: { event: 'e', blob: 'x'.repeat(500) } })
    expect(long.length).toBeLessThan(260)
    expect(long).not.toContain('\n')
    const bare = formatLogLine({ at, method: 'POST', path: '/collect', query: {}, headers: {}, body: 'raw' })
    expect(bare).toBe('18:03:11.204  -                    -          "raw"')
  })
})

describe('npm start on a busy port', () => {
  it('says which port is in use and what to try, in one line, and exits 1 (no EADDRINUSE stack)', async () => {
    const { createServer } = await import('node:net')
    const { spawn } = await import('node:child_process')
    const busy = createServer()
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
    const port = (busy.address() as { port: number }).port
    try {
      const script = fileURLToPath(new URL('../../scripts/demo-server.mjs', import.meta.url))
      const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: String(port) } })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d))
      const code = await new Promise<number | null>((r) => child.on('exit', r))
      expect(code).toBe(1)
      expect(stderr).toContain(`port ${port} is in use; try PORT=3000 npm start`)
      expect(stderr).not.toMatch(/EADDRINUSE|\n\s+at /)
    } finally {
      await new Promise((r) => busy.close(r))
    }
  })
})
