// Bytes a visitor downloads: gzip -9 of tagrelay's script-tag files (measured by scripts/size.mjs)
// and of each peer's browser file, measured the same way.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { measureDist, sizeBudgets } from '../scripts/size.mjs'
import { gzipSync } from 'node:zlib'
import { minify } from 'terser'
import { ROOT } from './server.mjs'

const gz = (buf) => gzipSync(buf, { level: 9 }).length

/** The same terser options as rollup.config.ts, for a peer that ships no minified browser file. */
const TERSER = { ecma: 2019, compress: { passes: 3, pure_getters: true, unsafe_arrows: true }, mangle: { properties: false }, format: { comments: false } }

export const TYPICAL_PAGE = sizeBudgets['typical page']

export const PEER_FILES = {
  segment: [
    { file: 'node_modules/@segment/analytics-next/dist/umd/standalone.js', what: 'standalone.js, what the snippet loads (as shipped, minified)' },
    { file: 'node_modules/@segment/analytics-next/dist/umd/index.js', what: 'UMD build used for the timings (as shipped, minified)' },
  ],
  analytics: [{ file: 'node_modules/analytics/dist/analytics.min.js', what: 'dist/analytics.min.js (as shipped)' }],
  snowplow: [{ file: 'node_modules/@snowplow/browser-tracker/dist/index.umd.min.js', what: 'dist/index.umd.min.js (as shipped)' }],
  rudderstack: [
    {
      file: 'node_modules/@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js',
      what: 'modern/bundled UMD (plugins included), shipped unminified: minified here with our terser options',
      minify: true,
    },
  ],
}

export async function benchBytes() {
  const { files: tagrelay, typicalPage } = measureDist()

  const peers = {}
  for (const [name, list] of Object.entries(PEER_FILES)) {
    peers[name] = []
    for (const { file, what, minify: min } of list) {
      let code = readFileSync(join(ROOT, file))
      if (min) code = Buffer.from((await minify(code.toString('utf8'), TERSER)).code)
      peers[name].push({ file, what, minified: code.length, gzip: gz(code) })
    }
  }
  return { tagrelay, typicalPage, typicalPageFiles: TYPICAL_PAGE, peers }
}
