import type { ChunkLoader } from './env'
import { trusted } from './trusted-types'
import { put } from '../lib/object'
import { BUILD_ID } from './build-id'

/** A chunk file announces itself by pushing `[name, exports]` onto this global array. */
export type ChunkRegistry = Array<[string, unknown]>

declare global {
  interface Window {
    tagrelayChunks?: ChunkRegistry
  }
}

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

/** `fileOf`: a chunk's file, relative to `base` (a site build's content-hashed names); by default `tool:x` is tools/x.min.js, `x` x.min.js. */
export function scriptChunkLoader(w: Window, base: string, nonce: string | undefined, timeoutMs = CHUNK_TIMEOUT_MS, fileOf?: (name: string) => string): ChunkLoader {
  /** What each name gives: the load in progress, or what arrived (a late arrival included). */
  const got = new Map<string, Promise<unknown>>()
  /** Loads in progress that nothing has answered yet. */
  const resolvers = new Map<string, (v: unknown) => void>()
  const accept = ([name, m]: [string, unknown]) => {
    got.set(name, Promise.resolve(m))
    resolvers.get(name)?.(m)
    resolvers.delete(name)
  }
  // Chunks may have arrived before the bundle (preloaded); take them, then catch the rest.
  const registry = (w.tagrelayChunks ||= [])
  registry.forEach(accept)
  put(registry, 'push', (...entries: Array<[string, unknown]>) => {
    entries.forEach(accept)
    return 0
  })
  return (name) => {
    let p = got.get(name)
    if (!p) {
      p = new Promise((resolve, reject) => {
        resolvers.set(name, resolve)
        const doc = w.document
        const s = doc.createElement('script')
        if (nonce) s.nonce = nonce
        // `tool:x` is tools/x.<build id>.min.js: only files of this core's own build (rollup.config.ts);
        // a site build names its files by content hash (`fileOf`). (A script inserted this way is async already.)
        s.src = trusted(w).createScriptURL(base + (fileOf ? fileOf(name) : name.replace(/^tool:/, 'tools/') + '.' + BUILD_ID + '.min.js'))
        // Only while this load is the one in progress: not after it arrived, nor once a later
        // load (asked for after this one failed) took its place.
        const fail = (why: string) => {
          if (resolvers.get(name) != resolve) return
          resolvers.delete(name)
          got.delete(name)
          reject(Error(`could not load ${s.src}${why}`))
        }
        s.onerror = () => fail('')
        w.setTimeout(() => fail(` within ${timeoutMs} ms`), timeoutMs)
        ;(doc.head || doc.documentElement).appendChild(s)
      })
      got.set(name, p)
    }
    return p
  }
}
