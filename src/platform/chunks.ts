import type { ChunkLoader } from './env'
import { trusted } from './trusted-types'

/** A chunk file announces itself by pushing `[name, exports]` onto this global array. */
export type ChunkRegistry = Array<[string, unknown]>

declare global {
  interface Window {
    tagrelayChunks?: ChunkRegistry
  }
}

const fileOf = (name: string) => (name.indexOf('tool:') == 0 ? `tools/${name.slice(5)}.min.js` : `${name}.min.js`)

/**
 * Loads code the script-tag bundle leaves out (the user-agent parser, built-in tools) as
 * `<script>` files next to the bundle, carrying the page's nonce so a strict CSP allows them.
 */
/**
 * A chunk that neither arrives nor fails within this long counts as failed: what waits for it
 * (events held for the user-agent parser, the expression engine, the consent bridges) goes on
 * without it rather than for ever behind a request that hangs. A late arrival is still taken.
 */
export const CHUNK_TIMEOUT_MS = 10_000

export function scriptChunkLoader(w: Window, base: string, nonce: string | undefined, timeoutMs = CHUNK_TIMEOUT_MS): ChunkLoader {
  const got = new Map<string, unknown>()
  const waiting = new Map<string, Promise<unknown>>()
  const resolvers = new Map<string, (v: unknown) => void>()
  const accept = (entry: [string, unknown]) => {
    got.set(entry[0], entry[1])
    resolvers.get(entry[0])?.(entry[1])
  }
  // Chunks may have arrived before the bundle (preloaded); take them, then catch the rest.
  const registry = (w.tagrelayChunks ||= [])
  registry.forEach(accept)
  registry.push = (...entries) => {
    entries.forEach(accept)
    return 0
  }
  return (name) => {
    if (got.has(name)) return Promise.resolve(got.get(name))
    let p = waiting.get(name)
    if (!p) {
      p = new Promise((resolve, reject) => {
        resolvers.set(name, resolve)
        const doc = w.document
        const s = doc.createElement('script')
        if (nonce) s.nonce = nonce
        s.async = true
        s.src = trusted(w).createScriptURL(base + fileOf(name))
        const fail = (why: string) => {
          waiting.delete(name)
          reject(new Error(`could not load ${s.src}${why}`))
        }
        s.onerror = () => fail('')
        w.setTimeout(() => got.has(name) || fail(` within ${timeoutMs} ms`), timeoutMs)
        ;(doc.head || doc.documentElement).appendChild(s)
      })
      waiting.set(name, p)
    }
    return p
  }
}
