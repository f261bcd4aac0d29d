import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { expect, test } from 'vitest'

// These import the built package through its own `exports` map, as a user's bundler would.
const root = join(__dirname, '../..')

/** Every file under `dir`, relative to the repository. */
const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => (statSync(join(root, dir, name)).isDirectory() ? filesUnder(`${dir}/${name}`) : [`${dir}/${name}`]))

/** The build id in the names of the lazily loaded files (rollup.config.ts). */
const buildId = () => readdirSync(join(root, 'dist/tools')).find((f) => f.startsWith('http-request.'))!.split('.')[1]

test('npm run build wrote every file the contract names', () => {
  const id = buildId()
  for (const f of ['dist/tagrelay.min.js', 'dist/snippet.min.js', `dist/ua.${id}.min.js`, `dist/tools/http-request.${id}.min.js`, `dist/tools/custom-image.${id}.min.js`, 'dist/npm/index.js', 'dist/npm/index.cjs', 'dist/npm/index.d.ts', 'dist/npm/testing/index.d.ts', 'dist/npm/tools/http-request.d.ts'])
    expect(existsSync(join(root, f)), `${f} is missing: run npm run build`).toBe(true)
})

test('every lazily loaded file is named with the build id the core asks for; only the core and the loader stub keep their public names', () => {
  const id = buildId()
  expect(id).toMatch(/^[0-9a-f]{8}$/)
  expect(readFileSync(join(root, 'dist/tagrelay.min.js'), 'utf8')).toContain(`.${id}.min.js`)
  const scripts = filesUnder('dist').filter((f) => !f.startsWith('dist/npm/') && f.endsWith('.min.js'))
  expect(scripts.length).toBeGreaterThan(10)
  for (const f of scripts) if (!['dist/tagrelay.min.js', 'dist/snippet.min.js'].includes(f)) expect(f).toMatch(new RegExp(`^dist/(tools/)?[A-Za-z0-9-]+\\.${id}\\.min\\.js$`))
})

test('every JavaScript file in dist/ has its source map, with the TypeScript sources in it', () => {
  // (But dist/site/build/flags.js: the `tagrelay` command's placeholder for a site build's constants,
  // written as it is and replaced by every site build; nothing runs it.)
  const code = filesUnder('dist').filter((f) => /\.(c?js)$/.test(f) && f != 'dist/site/build/flags.js')
  expect(code.length).toBeGreaterThan(20)
  for (const f of code) {
    const map = JSON.parse(readFileSync(join(root, f + '.map'), 'utf8'))
    expect(map.version, f).toBe(3)
    expect(map.mappings.length, f).toBeGreaterThan(0)
    const own = map.sources.filter((s: string) => /\bsrc\/.*\.ts$/.test(s))
    expect(own.length, `${f}: ${map.sources}`).toBeGreaterThan(0)
    expect(map.sourcesContent?.[map.sources.indexOf(own[0])], f).toBeTruthy()
    // Each source named relative to the map resolves to the repository's own file.
    expect(existsSync(join(root, f, '..', own[0])), `${f}: ${own[0]}`).toBe(true)
    // The script-tag files name their map, but the loader stub, which is pasted inline into pages.
    const last = readFileSync(join(root, f), 'utf8').trimEnd().split('\n').pop()
    if (f == 'dist/snippet.min.js') expect(last).not.toContain('sourceMappingURL')
    else expect(last, f).toBe(`//# sourceMappingURL=${f.split('/').pop()}.map`)
  }
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

test('the script-tag files contain no eval or new Function', () => {
  const files = filesUnder('dist').filter((f) => !f.startsWith('dist/npm/') && f.endsWith('.min.js'))
  expect(files).toContain('dist/tagrelay.min.js')
  for (const f of files) {
    const code = readFileSync(join(root, f), 'utf8')
    expect(code, f).not.toMatch(/\beval\(|new Function\(/)
  }
})

test('the script-tag files and the config schema resolve through the exports map', () => {
  const require = createRequire(join(root, 'package.json'))
  expect(require.resolve('tagrelay/dist/tagrelay.min.js')).toBe(join(root, 'dist/tagrelay.min.js'))
  expect(require.resolve('tagrelay/dist/snippet.min.js')).toBe(join(root, 'dist/snippet.min.js'))
  expect(require.resolve(`tagrelay/dist/tools/http-request.${buildId()}.min.js`)).toBe(join(root, `dist/tools/http-request.${buildId()}.min.js`))
  expect(require('tagrelay/config.schema.json').$schema).toBe('https://json-schema.org/draft/2020-12/schema')
})

test('a module under tools/ with declarations either loads at run time or is not exported (never types without code)', async () => {
  const require = createRequire(join(root, 'package.json'))
  const declared = filesUnder('dist/npm/tools').filter((f) => f.endsWith('.d.ts')).map((f) => 'tagrelay/tools/' + relative(join(root, 'dist/npm/tools'), join(root, f)).replace(/\.d\.ts$/, ''))
  expect(declared).toContain('tagrelay/tools/built-ins')
  // (Node says ERR_PACKAGE_PATH_NOT_EXPORTED; vitest's resolver, for `import()`, says it in words.)
  const why = (e: unknown) => ((e as { code?: string }).code == 'ERR_PACKAGE_PATH_NOT_EXPORTED' || /is not exported/.test(String(e)) ? 'not exported' : `fails: ${e}`)
  const outcome = (load: () => unknown) => {
    try {
      load()
      return 'loads'
    } catch (e) {
      return why(e)
    }
  }
  const seen: Record<string, string> = {}
  for (const spec of declared) {
    seen[spec] = outcome(() => require(spec))
    expect(seen[spec], spec).toMatch(/^(loads|not exported)$/)
    // The ES module entry answers the same.
    const esm = await import(spec).then(() => 'loads', why)
    expect(esm, spec).toBe(seen[spec])
  }
  expect(seen['tagrelay/tools/built-ins']).toBe('not exported')
  expect(seen['tagrelay/tools/http-request']).toBe('loads')
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
    // `moduleResolution: node` (node10), which reads no `exports`: `typesVersions` points it to the declarations.
    ['commonjs', ts.ModuleKind.CommonJS, ts.ModuleResolutionKind.Node10],
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
