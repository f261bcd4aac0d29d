// The `tagrelay` command as a user runs it (node dist/cli/tagrelay.js, after `npm run build`):
// exit codes, one-line errors without stack traces, what `build` writes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test, vi } from 'vitest'

// Each build bundles and minifies: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 180_000 })

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIXTURES = ROOT + 'test/e2e/fixtures/cli/'
const TMP = mkdtempSync(join(tmpdir(), 'tagrelay-cli-'))
afterAll(() => rmSync(TMP, { recursive: true, force: true }))

const tagrelay = (...args: string[]) => {
  const r = spawnSync(process.execPath, [ROOT + 'dist/cli/tagrelay.js', ...args], { encoding: 'utf8', cwd: ROOT })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m)

describe('tagrelay validate', () => {
  test('a valid config: its warnings with their JSON paths, exit 0', () => {
    const r = tagrelay('validate', 'examples/config/zaraz-export.json')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("warning variables.vWrk.type: worker variables only exist at Cloudflare's edge")
    expect(r.stdout.trim().split('\n').pop()).toBe('examples/config/zaraz-export.json: 0 errors, 7 warnings')
  })

  test('an error: its JSON path and words, exit 1', () => {
    const r = tagrelay('validate', FIXTURES + 'invalid.json')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error   tools.ga.actions.x.firingTriggers[0]: unknown trigger "nope"\n')
  })

  test('--json: errors and warnings as data', () => {
    const r = tagrelay('validate', FIXTURES + 'invalid.json', '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual({ errors: [{ path: 'tools.ga.actions.x.firingTriggers[0]', message: 'unknown trigger "nope"' }], warnings: [] })
  })

  test('a missing file, a file that is not JSON, a directory: one line each, exit 1, no stack trace', () => {
    for (const [file, line] of [
      ['nothere.json', 'tagrelay: nothere.json: no such file\n'],
      [FIXTURES + 'not-json.json', `tagrelay: ${FIXTURES}not-json.json: not JSON (Unexpected end of JSON input)\n`],
      [FIXTURES, `tagrelay: ${FIXTURES}: is a directory, not a config file\n`],
    ]) {
      const r = tagrelay('validate', file)
      expect([r.code, r.stderr, r.stdout]).toEqual([1, line, ''])
    }
  })

  test('a wrong command line: what is wrong and the usage, exit 2', () => {
    for (const args of [['frob'], [], ['validate'], ['validate', 'a.json', '--jsno'], ['build', 'a.json'], ['build', 'a.json', '--out', 'x', '--tool', 'noequals']]) {
      const r = tagrelay(...args)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^tagrelay: .+\nusage:\n/)
      noStack(r.stderr)
    }
  })
})

describe('tagrelay build', () => {
  test('an invalid config: its errors, exit 1, nothing written', () => {
    const out = join(TMP, 'invalid')
    const r = tagrelay('build', FIXTURES + 'invalid.json', '--out', out)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('invalid config; nothing written\nerror   tools.ga.actions.x.firingTriggers[0]: unknown trigger "nope"')
    expect(existsSync(out)).toBe(false)
  })

  test('a --tool file that does not exist: one line, exit 1, nothing written', () => {
    const out = join(TMP, 'missing-tool')
    const r = tagrelay('build', FIXTURES + 'echo.json', '--out', out, '--tool', 'echo=nothere.ts')
    expect([r.code, r.stderr]).toEqual([1, 'tagrelay: --tool echo=nothere.ts: no such file\n'])
    expect(existsSync(out)).toBe(false)
  })

  test('writes the content-hashed core with its source map, the lazy files, snippet.html with SRI and manifest.json', () => {
    const out = join(TMP, 'typical')
    const r = tagrelay('build', 'examples/config/typical.json', '--out', out, '--base', '/assets/tr/')
    expect(r.code).toBe(0)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    const core = readFileSync(join(out, manifest.core.file))
    // The name is the content's hash, the integrity the file's sha384.
    expect(manifest.core.file).toMatch(/^tagrelay\.[0-9a-f]{10}\.js$/)
    expect(manifest.core.integrity).toBe('sha384-' + createHash('sha384').update(core).digest('base64'))
    expect(core.toString()).toMatch(new RegExp(`\\n//# sourceMappingURL=${manifest.core.file.replace(/\./g, '\\.')}\\.map\\n$`))
    const map = JSON.parse(readFileSync(join(out, manifest.core.file + '.map'), 'utf8'))
    expect(map.sources).toContain('tagrelay/runtime.js')
    expect(map.sources.every((s: string) => !s.includes(ROOT))).toBe(true)
    expect(manifest.tools).toEqual({ 'google-analytics-4': 'built-in', 'custom-html': 'built-in' })
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual(['client-events', 'consent-modal', 'outbox'])
    for (const f of manifest.files) expect(f.file).toMatch(new RegExp(`^${f.name}\\.[0-9a-f]{10}\\.js$`))
    // Every file with its source map (the lazy ones' are the generic build's maps).
    expect(readdirSync(out).sort()).toEqual([...manifest.files.flatMap((f: { file: string }) => [f.file, f.file + '.map']), manifest.core.file, manifest.core.file + '.map', 'manifest.json', 'snippet.html'].sort())
    const snippet = readFileSync(join(out, 'snippet.html'), 'utf8')
    expect(snippet).toContain(`<script async src="/assets/tr/${manifest.core.file}" integrity="${manifest.core.integrity}" crossorigin="anonymous" nonce="NONCE"></script>`)
    expect(snippet).toMatch(/<script nonce="NONCE">\(\(\)=>\{.*zaraz.*<\/script>/)
  })

  test('the config is compiled at build time, and the parts it cannot reach are left out of the core (build-time constants)', () => {
    const sources = (dir: string) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
      return [manifest, JSON.parse(readFileSync(join(dir, manifest.core.file + '.map'), 'utf8')).sources as string[]] as const
    }
    const [typical, inTypical] = sources(join(TMP, 'typical'))
    // No compiler, no config messages, no secrets check: the model is linked.
    expect(inTypical).toContain('tagrelay/config/link.js')
    expect(inTypical.filter((s) => s.startsWith('tagrelay/config/'))).toEqual(['tagrelay/config/link.js'])
    // No debugKey, no data layer, no SPA history watch, no page rules in this config.
    for (const left of ['tagrelay/debug/mode.js', 'tagrelay/facade/data-layer.js', 'tagrelay/facade/history.js', 'tagrelay/page-rules/index.js']) expect(inTypical).not.toContain(left)
    expect(typical.flags).toEqual({ CONFIG_COMPILER: false, PAGE_RULES: false, DATA_LAYER: false, HISTORY_CHANGE: false, DEBUG_MODE: false })
    // The Zaraz export has them all.
    const out = join(TMP, 'export')
    expect(tagrelay('build', 'examples/config/zaraz-export.json', '--out', out).code).toBe(0)
    const [exported, inExport] = sources(out)
    for (const kept of ['tagrelay/debug/mode.js', 'tagrelay/facade/data-layer.js', 'tagrelay/facade/history.js', 'tagrelay/page-rules/index.js', 'tagrelay/expressions/parse.js', 'tagrelay/autoescape/html.js']) expect(inExport).toContain(kept)
    expect(exported.flags).toEqual({ CONFIG_COMPILER: false, PAGE_RULES: true, DATA_LAYER: true, HISTORY_CHANGE: true, DEBUG_MODE: true })
    expect(exported.inline).toEqual(['expressions', 'autoescape', 'page-rules'])
  })

  test('the same config builds the same files (a hash changes only with the content); another build into the same folder deletes nothing', () => {
    const again = join(TMP, 'typical-again')
    expect(tagrelay('build', 'examples/config/typical.json', '--out', again, '--base', '/assets/tr/').code).toBe(0)
    expect(readdirSync(again).sort()).toEqual(readdirSync(join(TMP, 'typical')).sort())
    const before = readdirSync(again)
    expect(tagrelay('build', FIXTURES + 'echo.json', '--out', again).code).toBe(0)
    const { core, files } = JSON.parse(readFileSync(join(again, 'manifest.json'), 'utf8'))
    expect(readdirSync(again).sort()).toEqual([...new Set([...before, core.file, core.file + '.map', ...files.flatMap((f: { file: string }) => [f.file, f.file + '.map'])])].sort())
  })

  test('--tool bundles a TypeScript component from a file into the core, for the entries that name it', () => {
    const out = join(TMP, 'echo')
    const r = tagrelay('build', FIXTURES + 'echo.json', '--out', out, '--tool', `echo=${FIXTURES}echo-tool.ts`)
    expect(r.code).toBe(0)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.tools).toEqual({ echo: `${FIXTURES}echo-tool.ts` })
    expect(manifest.unbundled).toEqual([])
    expect(readFileSync(join(out, manifest.core.file), 'utf8')).toContain('echo-tool-of-the-cli-tests')
  })

  test('a component neither built in nor given with --tool is left for the page to register, and said', () => {
    const out = join(TMP, 'unbundled')
    const r = tagrelay('build', FIXTURES + 'echo.json', '--out', out)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('note: component "echo" is not bundled: register it on the page with zaraz.registerTool, or pass --tool echo=<file>')
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).unbundled).toEqual(['echo'])
  })
})

describe('tagrelay copy', () => {
  test('copies the generic script-tag files as dist/ lays them out', () => {
    const out = join(TMP, 'generic')
    const r = tagrelay('copy', out)
    expect(r.code).toBe(0)
    expect(readFileSync(join(out, 'tagrelay.min.js'))).toEqual(readFileSync(ROOT + 'dist/tagrelay.min.js'))
    // (The lazily loaded files carry the build id in their names: tools/google-analytics-4.<id>.min.js.)
    expect(readdirSync(join(out, 'tools')).sort()).toEqual(readdirSync(ROOT + 'dist/tools').sort())
    expect(readdirSync(join(out, 'tools')).some((f) => /^google-analytics-4\.[0-9a-f]{8}\.min\.js$/.test(f))).toBe(true)
    expect(existsSync(join(out, 'npm'))).toBe(false)
  })
})
