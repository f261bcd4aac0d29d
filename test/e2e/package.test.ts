import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { expect, test } from 'vitest'

// These import the built package through its own `exports` map, as a user's bundler would.
const root = join(__dirname, '../..')

test('npm run build wrote every file the contract names', () => {
  for (const f of ['dist/tagrelay.min.js', 'dist/snippet.min.js', 'dist/ua.min.js', 'dist/tools/http-request.min.js', 'dist/tools/custom-image.min.js', 'dist/npm/index.js', 'dist/npm/index.cjs', 'dist/npm/index.d.ts', 'dist/npm/testing/index.d.ts', 'dist/npm/tools/http-request.d.ts'])
    expect(existsSync(join(root, f)), `${f} is missing: run npm run build`).toBe(true)
})

test('the ES module entries resolve through the exports map', async () => {
  const main = await import('tagrelay')
  expect(typeof main.createZaraz).toBe('function')
  expect(typeof main.validateConfig).toBe('function')
  const testing = await import('tagrelay/testing')
  expect(typeof testing.createRecordingTransport).toBe('function')
  const tool = await import('tagrelay/tools/http-request')
  expect(typeof tool.default).toBe('function')
})

test('the CommonJS entries resolve through the exports map', () => {
  const require = createRequire(join(root, 'package.json'))
  expect(typeof require('tagrelay').createZaraz).toBe('function')
  expect(typeof require('tagrelay/testing').createFakeClock).toBe('function')
  expect(typeof require('tagrelay/tools/custom-image').default).toBe('function')
})

test('the script-tag files contain no eval or new Function', async () => {
  const { readFileSync, readdirSync } = await import('node:fs')
  const files = ['tagrelay.min.js', 'snippet.min.js', 'ua.min.js', ...readdirSync(join(root, 'dist/tools')).map((f) => `tools/${f}`)]
  for (const f of files) {
    const code = readFileSync(join(root, 'dist', f), 'utf8')
    expect(code, f).not.toMatch(/\beval\(|new Function\(/)
  }
})

test('the type declarations resolve for ES module and CommonJS users under every moduleResolution', async () => {
  const { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const ts = (await import('typescript')).default
  // A file whose one error is expected: were the types lost (any), the expectation itself would fail.
  const code = `import { createZaraz, type Zaraz, type ZarazConfig, type TrackResult } from 'tagrelay'
import { createTestZaraz, type TestZaraz } from 'tagrelay/testing'
import ga4 from 'tagrelay/tools/google-analytics-4'
const z: Zaraz = createZaraz({ config: {} as ZarazConfig })
const t: TestZaraz = createTestZaraz({ config: {} })
const r: Promise<TrackResult> = z.track('x')
// @ts-expect-error track is not a number
const n: number = z.track
export { z, t, ga4, r, n }
`
  const cases = [
    ['module', ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
    ['commonjs', ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
    ['commonjs', ts.ModuleKind.Node16, ts.ModuleResolutionKind.Node16],
    ['module', ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
  ] as const
  for (const [type, module, moduleResolution] of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'tagrelay-types-'))
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(root, join(dir, 'node_modules', 'tagrelay'), 'dir')
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }))
    writeFileSync(join(dir, 'a.ts'), code)
    const program = ts.createProgram([join(dir, 'a.ts')], { module, moduleResolution, strict: true, noEmit: true, skipLibCheck: false, skipDefaultLibCheck: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] })
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    expect(errors, `${type}, moduleResolution ${ts.ModuleResolutionKind[moduleResolution]}`).toEqual([])
  }
})
