// The benchmarks' own local server (127.0.0.1 only): the pages under bench/pages/, the built files
// under /dist/, the peers' browser files under /node_modules/, the harness under /bench/, and a
// collector that answers every POST (and GET /collect*) with 204 and only counts it. Same origin
// for everything, served cross-origin isolated (COOP + COEP) so that performance.now() has its
// fine resolution (5 µs rather than 100 µs) in Chromium.
import { createServer } from 'node:http'
import { promises as fsp } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const SERVED = ['/dist/', '/node_modules/', '/bench/']
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json' }
const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
}

export async function startBenchServer() {
  const counts = { collected: 0 }
  const server = createServer(async (req, res) => {
    const path = new URL(req.url || '/', 'http://x').pathname
    const isCollect = req.method == 'POST' || req.method == 'OPTIONS' || path.startsWith('/collect')
    if (isCollect) {
      req.resume()
      req.on('end', () => {
        if (req.method != 'OPTIONS') counts.collected++
        res.writeHead(204, { ...ISOLATED, 'Access-Control-Allow-Origin': req.headers.origin || '*', 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'content-type' })
        res.end()
      })
      return
    }
    const rel = path == '/' ? '/bench/pages/blank.html' : path
    const file = resolve(ROOT, '.' + decodeURIComponent(rel))
    if (!SERVED.some((p) => rel.startsWith(p)) || !file.startsWith(ROOT + sep)) {
      res.writeHead(404, ISOLATED).end()
      return
    }
    try {
      const body = await fsp.readFile(file)
      res.writeHead(200, { ...ISOLATED, 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404, ISOLATED).end()
    }
  })
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok())
        server.closeAllConnections()
      }),
  }
}

export { ROOT, join }
