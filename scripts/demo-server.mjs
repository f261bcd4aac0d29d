#!/usr/bin/env node
// tagrelay demo server: serves the example shop (examples/shop/) and the built runtime (dist/)
// under a strict Content-Security-Policy, and runs a small collector at /collect that records and
// prints every request the page's tools send. Zero dependencies: node built-ins only.
//
//   node scripts/demo-server.mjs            # http://127.0.0.1:8080 (PORT=... to change)
//   import { startDemoServer } from './scripts/demo-server.mjs'   # in-process, for tests
//
// See docs/demo.md.

import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SHOP_ROOT = join(REPO_ROOT, 'examples', 'shop')
const DIST_ROOT = join(REPO_ROOT, 'dist')
const SNIPPET_FILE = join(DIST_ROOT, 'snippet.min.js')
const SNIPPET_MARKER = '<!-- tagrelay:snippet -->'
const BUNDLE_PATH = '/dist/tagrelay.min.js'
const MAX_BODY_BYTES = 1024 * 1024

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
}

// The smallest transparent GIF: what a tracking pixel answers.
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Max-Age': '600',
}

function contentSecurityPolicy(nonce) {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'self'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ')
}

/** Maps a URL path under `prefix` to a file inside `root`, or null if it would leave `root`. */
function resolveInside(root, urlPath) {
  let decoded
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const file = resolve(root, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded))
  if (file !== root && !file.startsWith(root + sep)) return null
  return file
}

async function statFile(file) {
  try {
    const st = await fsp.stat(file)
    if (st.isDirectory()) {
      const index = join(file, 'index.html')
      const ist = await fsp.stat(index).catch(() => null)
      return ist && ist.isFile() ? index : null
    }
    return st.isFile() ? file : null
  } catch {
    return null
  }
}

/** Parses a request body according to its content type. */
export function parseBody(raw, contentType) {
  if (!raw || raw.length === 0) return null
  const text = raw.toString('utf8')
  const type = String(contentType || '').split(';')[0].trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') {
    const out = {}
    for (const [k, v] of new URLSearchParams(text)) {
      if (Object.prototype.hasOwnProperty.call(out, k)) {
        out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v]
      } else {
        out[k] = v
      }
    }
    return out
  }
  const looksJson = /^\s*[{["]/.test(text)
  if (type === 'application/json' || type.endsWith('+json') || ((type === 'text/plain' || type === '') && looksJson)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

function queryObject(searchParams) {
  const out = {}
  for (const [k, v] of searchParams) {
    if (Object.prototype.hasOwnProperty.call(out, k)) {
      out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v]
    } else {
      out[k] = v
    }
  }
  return out
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0')
}

function clock(ms) {
  const d = new Date(ms)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

function firstString(...values) {
  for (const v of values) {
    if (typeof v === 'string' && v !== '') return v
    if (typeof v === 'number') return String(v)
  }
  return '-'
}

/** One terminal line per collected request: time, event, tool, payload (without `system`). */
export function formatLogLine(entry, { color = false } = {}) {
  const body = entry.body && typeof entry.body === 'object' && !Array.isArray(entry.body) ? entry.body : null
  const query = entry.query || {}
  const event = firstString(body && body.event, query.e, query.event)
  const tool = firstString(body && body.tool, query.tool)
  let payload
  if (body) {
    const { system: _system, event: _event, tool: _tool, ...rest } = body
    payload = rest
  } else if (entry.body != null) {
    payload = entry.body
  } else {
    const { system: _system, e: _e, event: _event, tool: _tool, ...rest } = query
    payload = rest
  }
  let json = JSON.stringify(payload) ?? ''
  if (json.length > 200) json = json.slice(0, 199) + '…'
  const methodPath = entry.method === 'POST' && entry.path === '/collect' ? '' : `${entry.method} ${entry.path}  `
  const time = clock(entry.at)
  const ev = event.length > 20 ? event.slice(0, 19) + '…' : event.padEnd(20)
  const tl = tool.length > 10 ? tool.slice(0, 9) + '…' : tool.padEnd(10)
  if (!color) return `${time}  ${ev} ${tl} ${methodPath}${json}`
  const dim = (s) => `\x1b[2m${s}\x1b[22m`
  const bold = (s) => `\x1b[1m${s}\x1b[22m`
  const cyan = (s) => `\x1b[36m${s}\x1b[39m`
  return `${dim(time)}  ${bold(ev)} ${cyan(tl)} ${dim(methodPath)}${json}`
}

function readBody(req) {
  return new Promise((resolvePromise, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolvePromise(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * Starts the demo server.
 * `root` serves another folder of pages at `/` (tests use their own fixture pages); default examples/shop.
 * `spaFallback` answers a missing page path (no file extension) with the root's index.html, as a
 * single-page app's host does, so deep links and reloads work.
 * `refuse` (0 to 1) answers that share of collector requests, at random, with a 503 that is not
 * recorded (counted in `refused`); setting `down` to true makes the collector drop every connection,
 * and `hang` to true makes it never answer (the requests stay open until the server closes).
 * @param {{ port?: number, host?: string, quiet?: boolean, delayBundleMs?: number, root?: string, spaFallback?: boolean }} [options]
 * @returns {Promise<{ url: string, port: number, collected: object[], clear(): void, close(): Promise<void> }>}
 */
export async function startDemoServer(options = {}) {
  const {
    port = Number(process.env.PORT) || 8080,
    host = '127.0.0.1',
    quiet = false,
    delayBundleMs = 0,
    root = SHOP_ROOT,
    spaFallback = false,
    refuse = 0,
  } = options
  const state = { down: false, hang: false, refused: 0, droppedAt: 0 }
  const pagesRoot = resolve(root)
  const collected = []
  const useColor = !quiet && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
  const timers = new Set()

  const delay = (ms) =>
    new Promise((res) => {
      const t = setTimeout(() => {
        timers.delete(t)
        res()
      }, ms)
      timers.add(t)
    })

  function send(res, status, headers, body) {
    res.writeHead(status, { 'Cache-Control': 'no-store', ...headers })
    res.end(body)
  }

  function notFound(res) {
    send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, 'Not found\n')
  }

  async function snippetScript(nonce) {
    let code
    try {
      code = await fsp.readFile(SNIPPET_FILE, 'utf8')
    } catch {
      code = "console.error('tagrelay demo: dist/snippet.min.js is missing; run `npm run build` first')"
    }
    // Keep the inline script from being closed early by a "</script" inside the code.
    code = code.replace(/<\/(script)/gi, '<\\/$1')
    return `<script nonce="${nonce}">${code}</script>`
  }

  async function serveHtml(req, res, file) {
    const nonce = randomBytes(16).toString('base64')
    let html = await fsp.readFile(file, 'utf8')
    if (html.includes(SNIPPET_MARKER)) {
      const script = await snippetScript(nonce)
      html = html.split(SNIPPET_MARKER).join(script)
    }
    html = html.split('%NONCE%').join(nonce)
    send(
      res,
      200,
      {
        'Content-Type': CONTENT_TYPES['.html'],
        'Content-Security-Policy': contentSecurityPolicy(nonce),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'strict-origin-when-cross-origin',
      },
      req.method === 'HEAD' ? undefined : html,
    )
  }

  async function serveStatic(req, res, root, relPath, fallback = false) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method not allowed\n')
      return
    }
    const candidate = resolveInside(root, relPath)
    let file = candidate && (await statFile(candidate))
    if (!file && candidate && fallback && !extname(candidate)) file = await statFile(join(root, 'index.html'))
    if (!file) return notFound(res)
    const ext = extname(file).toLowerCase()
    if (ext === '.html') return serveHtml(req, res, file)
    const type = CONTENT_TYPES[ext] || 'application/octet-stream'
    const data = await fsp.readFile(file)
    send(res, 200, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' }, req.method === 'HEAD' ? undefined : data)
  }

  async function collect(req, res, url) {
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // CORS preflight: answered, not recorded.
      send(res, 204, {
        ...CORS_HEADERS,
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'content-type',
      })
      return
    }
    if (state.down) return void ((state.droppedAt = Date.now()), req.socket.destroy())
    if (state.hang) return
    const raw = await readBody(req)
    if (refuse > 0 && Math.random() < refuse) {
      state.refused++
      return send(res, 503, CORS_HEADERS)
    }
    const entry = {
      at: Date.now(),
      method: req.method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      headers: { ...req.headers },
      body: parseBody(raw, req.headers['content-type']),
    }
    collected.push(entry)
    if (!quiet) process.stdout.write(formatLogLine(entry, { color: useColor }) + '\n')
    const isPixel = url.pathname.startsWith('/collect/pixel') && (req.method === 'GET' || req.method === 'HEAD')
    if (isPixel) {
      send(res, 200, { ...CORS_HEADERS, 'Content-Type': 'image/gif', 'Content-Length': PIXEL_GIF.length }, req.method === 'HEAD' ? undefined : PIXEL_GIF)
    } else {
      send(res, 204, CORS_HEADERS)
    }
  }

  async function handle(req, res) {
    const url = new URL(req.url || '/', 'http://localhost')
    const path = url.pathname

    if (path === '/collect' || path.startsWith('/collect/')) return collect(req, res, url)

    if (path === '/__collected') {
      if (req.method === 'GET' || req.method === 'HEAD') {
        return send(res, 200, { 'Content-Type': 'application/json; charset=utf-8', ...CORS_HEADERS }, req.method === 'HEAD' ? undefined : JSON.stringify(collected))
      }
      if (req.method === 'DELETE') {
        collected.length = 0
        return send(res, 204, CORS_HEADERS)
      }
      if (req.method === 'OPTIONS') {
        return send(res, 204, { ...CORS_HEADERS, 'Access-Control-Allow-Headers': 'content-type' })
      }
      return send(res, 405, { Allow: 'GET, HEAD, DELETE', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method not allowed\n')
    }

    if (path === '/dist' || path.startsWith('/dist/')) {
      if (path === BUNDLE_PATH && delayBundleMs > 0) await delay(delayBundleMs)
      return serveStatic(req, res, DIST_ROOT, path.slice('/dist'.length))
    }

    return serveStatic(req, res, pagesRoot, path, spaFallback)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      const status = err && err.status ? err.status : 500
      if (!quiet && status === 500) process.stderr.write(`demo-server: ${req.method} ${req.url}: ${err && err.stack ? err.stack : err}\n`)
      if (!res.headersSent) send(res, status, { 'Content-Type': 'text/plain; charset=utf-8' }, status === 413 ? 'Payload too large\n' : 'Internal error\n')
      else res.destroy()
    })
  })

  await new Promise((res, rej) => {
    server.once('error', rej)
    server.listen(port, host, () => {
      server.off('error', rej)
      res()
    })
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    collected,
    get refused() {
      return state.refused
    },
    get droppedAt() {
      return state.droppedAt
    },
    get down() {
      return state.down
    },
    set down(v) {
      state.down = !!v
    },
    get hang() {
      return state.hang
    },
    set hang(v) {
      state.hang = !!v
    },
    clear() {
      collected.length = 0
    },
    close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      return new Promise((res, rej) => {
        server.close((err) => (err ? rej(err) : res()))
        server.closeAllConnections()
      })
    },
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href
if (isMain) {
  const missing = []
  for (const f of ['tagrelay.min.js', 'snippet.min.js']) {
    if (!(await statFile(join(DIST_ROOT, f)))) missing.push(`dist/${f}`)
  }
  if (missing.length) process.stderr.write(`warning: ${missing.join(', ')} not found; run \`npm run build\` (npm start does it for you)\n`)
  let demo
  try {
    demo = await startDemoServer()
  } catch (err) {
    // A busy port is the common case (another demo, another dev server): one line, not a stack.
    const port = Number(process.env.PORT) || 8080
    if (err && err.code === 'EADDRINUSE') process.stderr.write(`port ${port} is in use; try PORT=${port == 3000 ? 3001 : 3000} npm start\n`)
    else process.stderr.write(`could not start the demo server on port ${port}: ${err && err.message ? err.message : err}\n`)
    process.exit(1)
  }
  process.stdout.write(
    `tagrelay demo shop   ${demo.url}/\n` +
      `collector            ${demo.url}/collect  (recorded requests: GET ${demo.url}/__collected)\n` +
      `The page asks for consent first (analytics: the collector, marketing: the pixel; "Cookie settings" asks again);\n` +
      `its "debug" link shows the debugger panel (zaraz.debug with the config's debugKey).\n` +
      `Every request a tool sends is printed below. Ctrl+C to stop.\n\n`,
  )
  const stop = () => {
    demo.close().finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
