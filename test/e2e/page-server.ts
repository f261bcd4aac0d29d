// A local server for one test page and the build: the page (a fresh CSP nonce per response, in the
// page and in its Content-Security-Policy) at the paths `page` answers, and dist/ under /dist/.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/** The page for a path and a fresh nonce, or undefined (a 404). */
export type PageFor = (path: string, nonce: string) => Promise<{ html: string; csp: string } | undefined> | { html: string; csp: string } | undefined

export async function startPageServer(page: PageFor): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    try {
      const served = await page(path, randomBytes(12).toString('base64'))
      if (served) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': served.csp })
        return res.end(served.html)
      }
      if (path.startsWith('/dist/') && !path.includes('..')) {
        const body = await readFile(DIST + path.slice('/dist/'.length))
        res.writeHead(200, { 'content-type': 'text/javascript' })
        return res.end(body)
      }
    } catch {
      // Fall through to 404.
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` }
}
