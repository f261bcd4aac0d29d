// The site build of the typical config (examples/config/typical.json), built by `tagrelay build`
// (dist/cli/tagrelay.js): its gzip -9 size before the first hit (the core file: config, tools and
// the chunks it needs at every start) and what each part costs. Used by scripts/size.mjs.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
export const TYPICAL_CONFIG = 'examples/config/typical.json'

/** The parts of a site build's core, by source path in its map (`tagrelay/<module>`, `tools/<file>`). */
const PARTS = [
  ['the config (compiled in)', /^tagrelay\/entries\/site-config\.js$/],
  ['built-in tools', /^tagrelay\/tools\/((?!built-ins)[\w-]+\.js|lib\/)/],
  ['tool host', /^tagrelay\/tools\//],
  ['config linker (the model, compiled at build time, made live)', /^tagrelay\/config\//],
  ['router (triggers, templates, payloads)', /^tagrelay\/router\//],
  ['Consent Mode / TCF bridges (inline chunk)', /^tagrelay\/consent\/(cmp|tcf|google)\.js$/],
  ['consent gate and API', /^tagrelay\/consent\//],
  ['transport', /^tagrelay\/transport\//],
  ['facade (zaraz API, set values)', /^tagrelay\/facade\//],
  ['context (system, privacy, page)', /^tagrelay\/context\//],
  ['expressions (inline chunk)', /^tagrelay\/expressions\//],
  ['escaper (inline chunk)', /^tagrelay\/autoescape\//],
  ['page rules (inline chunk)', /^tagrelay\/page-rules\//],
  ['runtime, pipeline, bus', /^tagrelay\/(runtime|pipeline|bus\/bus)\.js$/],
  ['entry, chunk loader, platform', /^tagrelay\/(entries|platform|debug)\//],
  ['shared helpers', /^tagrelay\/lib\//],
  ['components from files (--tool)', /^tools\//],
]

const B64 = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]))
/** Each generated column of `mappings` with its source index (source maps v3, base64 VLQ). */
function* segments(mappings) {
  let source = 0
  for (const [line, text] of mappings.split(';').entries()) {
    let column = 0
    for (const seg of text.split(',')) {
      if (!seg) continue
      const values = []
      let value = 0
      let shift = 0
      for (const c of seg) {
        const digit = B64[c]
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      column += values[0]
      if (values.length > 1) source += values[1]
      yield { line, column, source: values.length > 1 ? source : -1 }
    }
  }
}

/** Minified bytes of `code` by source, from its map: each generated character counts for the source of the segment it is in. */
function bytesBySource(code, map) {
  const lines = code.split('\n')
  const out = {}
  const list = [...segments(map.mappings)]
  for (let i = 0; i < list.length; i++) {
    const s = list[i]
    const next = list[i + 1]
    const end = next && next.line == s.line ? next.column : lines[s.line].length
    const name = s.source < 0 ? '(unmapped)' : map.sources[s.source]
    out[name] = (out[name] ?? 0) + end - s.column
  }
  return out
}

/** Builds a config's site build (by default the typical one; a path from the package's root, or absolute) in a temporary directory and measures it. Throws without dist/cli/. */
export function measureSiteBuild(config = TYPICAL_CONFIG) {
  const out = mkdtempSync(join(tmpdir(), 'tagrelay-size-'))
  try {
    execFileSync(process.execPath, [ROOT + 'dist/cli/tagrelay.js', 'build', resolve(ROOT, config), '--out', out], { stdio: 'pipe' })
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    const code = readFileSync(join(out, manifest.core.file), 'utf8')
    const map = JSON.parse(readFileSync(join(out, manifest.core.file + '.map'), 'utf8'))
    const gzip = gzipSync(code, { level: 9 }).length
    const parts = {}
    for (const [source, bytes] of Object.entries(bytesBySource(code, map))) {
      const part = PARTS.find(([, re]) => re.test(source))?.[0] ?? 'other'
      parts[part] = (parts[part] ?? 0) + bytes
    }
    // Gzip does not split by source: each part gets the share of the file's gzip size its minified bytes have.
    const breakdown = Object.entries(parts)
      .sort((a, b) => b[1] - a[1])
      .map(([part, minified]) => ({ part, minified, gzip: Math.round((minified * gzip) / code.length) }))
    return { file: manifest.core.file, minified: Buffer.byteLength(code), gzip, breakdown, lazy: manifest.files, inline: manifest.inline, tools: Object.keys(manifest.tools) }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

/** The site build of a config with no tool (no consent, nothing the page drives): the runtime every site build has. */
export function measureEmptySiteBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'tagrelay-empty-'))
  try {
    writeFileSync(join(dir, 'empty.json'), '{ "tools": {} }')
    return measureSiteBuild(join(dir, 'empty.json'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
