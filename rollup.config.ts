import type { OutputOptions, Plugin, RollupOptions } from 'rollup'
import resolve from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import terser from '@rollup/plugin-terser'
import ts from 'typescript'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { BUILT_IN_TOOLS } from './src/tools/built-ins'
import { mangleProperties } from './src/build/mangle'

/**
 * Two kinds of output, each JavaScript file with its source map (`.map`):
 * - the script-tag files (IIFE, minified): the core bundle, the loader stub, and the pieces the
 *   core loads only when a config needs them (the user-agent parser, each built-in tool), these
 *   named with the build's id;
 * - the npm entries (ESM + CommonJS + .d.ts) for bundlers.
 * Rollup runs the builds one after another in this one process. Each TypeScript file is
 * transpiled once for all of them; one TypeScript program writes the npm declarations;
 * `npm run typecheck` checks the types.
 */

/** What a build is made from: a change in any of these makes a new build id. */
const BUILD_INPUTS = ['src', 'package.json', 'package-lock.json', 'rollup.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'mangle.json']

/**
 * The build's id: a hash of everything the build is made from, in the name of each lazily loaded
 * file (`ua.3f9a1c2e.min.js`) and in the core, which asks only for files of its own id; so a
 * cached core never runs a chunk of another build, and those files can be cached for ever
 * (docs/architecture.md). The core and the loader stub keep their public names.
 */
export function buildId(root = process.cwd()): string {
  const hash = createHash('sha256')
  const add = (file: string) => {
    if (statSync(file).isDirectory()) {
      for (const name of readdirSync(file).sort()) add(path.join(file, name))
      return
    }
    hash.update(path.relative(root, file) + '\0')
    hash.update(readFileSync(file))
    hash.update('\0')
  }
  for (const input of BUILD_INPUTS) {
    const file = path.join(root, input)
    if (existsSync(file)) add(file)
  }
  return hash.digest('hex').slice(0, 8)
}

const BUILD = buildId()

/** A lazily loaded file's name in dist/, as `scriptChunkLoader` asks for it (src/platform/chunks.ts). */
const chunkFile = (name: string) => `dist/${name}.${BUILD}.min.js`

/** The core's copy of the build id (src/platform/build-id.ts holds a stand-in for unit tests). */
const buildIdModule = (): Plugin => {
  const file = path.resolve('src/platform/build-id.ts')
  return {
    name: 'build-id',
    load: (id) => (id == file ? `export const BUILD_ID = ${JSON.stringify(BUILD)}` : null),
  }
}

/**
 * Removes what an earlier run of these builds wrote, before they write again: files named with
 * an earlier build id (or an earlier npm chunk hash) would stay beside the new ones.
 */
const clean = (remove: () => string[]): Plugin => ({
  name: 'clean-dist',
  buildStart() {
    for (const file of remove()) rmSync(file, { recursive: true, force: true })
  },
})

/** The script-tag files: dist/*.min.js (and maps) and dist/tools/. */
const scriptTagFiles = () => [...(existsSync('dist') ? readdirSync('dist').filter((f) => /\.min\.js(\.map)?$/.test(f)).map((f) => `dist/${f}`) : []), 'dist/tools']

/**
 * Internal fields are named `_likeThis` and renamed by terser (`mangle.properties`), with one name
 * map for every terser run: the core and each chunk are separate runs, and an object handed from one
 * to another must keep its field names. The map is `mangle.json` (as Preact does): read before the
 * builds, written after them when a new `_field` got a name. Wire and storage formats never start
 * with `_` (the outbox's records, client-kv's `{v,e}`, the stub's queue entries); vendor names
 * that do are kept (src/build/mangle.ts).
 */
const MANGLE_JSON = 'mangle.json'
const nameCache: { props: { props: Record<string, string> } } = { props: JSON.parse(readFileSync(MANGLE_JSON, 'utf8')) }
const saveNameCache = (): Plugin => ({
  name: 'save-name-cache',
  writeBundle() {
    const props = Object.fromEntries(Object.entries(nameCache.props.props).sort(([a], [b]) => (a < b ? -1 : 1)))
    const text = JSON.stringify({ props }, null, 2) + '\n'
    if (text != readFileSync(MANGLE_JSON, 'utf8')) writeFileSync(MANGLE_JSON, text)
  },
})

/**
 * `eager`: V8's explicit compile hint (Chrome 136+), which compiles every function of the file
 * when the file is compiled (off the main thread for a `<script src>`), instead of each one at its
 * first call; for the core, whose functions nearly all run at start-up (see docs/performance.md).
 */
const minify = (eager = false, fields = true) => [
  terser({
    ecma: 2020,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    mangle: { properties: fields ? mangleProperties() : false },
    nameCache,
    format: { comments: false, preamble: eager ? '//# allFunctionsCalledOnLoad' : undefined },
  }),
  saveNameCache(),
]

const tsconfig = ts.parseJsonConfigFileContent(ts.readConfigFile('tsconfig.build.json', ts.sys.readFile).config, ts.sys, process.cwd())
const compilerOptions = tsconfig.options

/** The declarations of every module under src/, made once (by one TypeScript program) for both npm outputs. */
let declarationFiles: Array<[string, string]> | undefined

/**
 * The npm build's `.d.ts` files, as assets beside the JavaScript (dist/npm/<path under src>.d.ts).
 * The program emits declarations only: `npm run typecheck` reports type errors.
 */
const declarations = (): Plugin => ({
  name: 'declarations',
  generateBundle() {
    if (!declarationFiles) {
      const files: Array<[string, string]> = []
      const program = ts.createProgram(tsconfig.fileNames, { ...compilerOptions, declaration: true, emitDeclarationOnly: true, noEmit: false, outDir: undefined, declarationDir: undefined })
      program.emit(undefined, (file, text) => files.push([path.relative(path.resolve('src'), file), text]), undefined, true)
      declarationFiles = files
    }
    for (const [fileName, source] of declarationFiles) this.emitFile({ type: 'asset', fileName, source })
  },
})

/** Each file's JavaScript, transpiled once for all the builds. */
const transpiled = new Map<string, { source: string; code: string; map: string | undefined }>()

/**
 * TypeScript to JavaScript, file by file, without types: a type-checking program for each of
 * the builds was most of `npm run build`'s time.
 */
const transpile = (): Plugin => ({
  name: 'transpile-typescript',
  transform(source, id) {
    if (!id.endsWith('.ts')) return null
    let done = transpiled.get(id)
    if (done?.source != source) {
      const out = ts.transpileModule(source, { fileName: id, compilerOptions: { ...compilerOptions, sourceMap: true, inlineSourceMap: false } })
      done = { source, code: out.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'), map: out.sourceMapText }
      transpiled.set(id, done)
    }
    return { code: done.code, map: done.map }
  },
})

/** Entry modules that exist only in the build (each chunk's self-registration). */
const virtual = (modules: Record<string, string>): Plugin => ({
  name: 'virtual-entries',
  resolveId: (id) => (id in modules ? '\0virtual:' + id : null),
  load: (id) => (id.startsWith('\0virtual:') ? modules[id.slice('\0virtual:'.length)] : null),
})

/**
 * `fields`: whether terser renames internal `_fields` (see `minify`). Not in the tool files: a tool
 * speaks only the Managed Components API, and vendors' own names (`_ir`, `_twclid`…) must stay.
 */
const iife = (input: string, file: string, plugins: Plugin[] = [], eager = false, fields = true): RollupOptions => ({
  input,
  plugins: [...plugins, resolve({ browser: true, extensions: ['.ts', '.mjs', '.js', '.json'] }), commonjs(), transpile(), buildIdModule()],
  output: { file, format: 'iife', plugins: minify(eager, fields), generatedCode: 'es2015', sourcemap: true },
})

/** The named exports a built-in tool hands over (see ToolModule); `sentFromServer` only where a tool has it. */
const toolExports = (file: string) => ['permissions', ...(/^export const sentFromServer\b/m.test(readFileSync(file, 'utf8')) ? ['sentFromServer'] : [])]

const toolChunks = BUILT_IN_TOOLS.map((name) => {
  const file = `${process.cwd()}/src/tools/${name}.ts`
  const names = toolExports(file).join(', ')
  return iife(`tool-${name}`, chunkFile(`tools/${name}`), [
    virtual({
      // The exports as a plain object: a namespace object (`import * as`) costs a frozen, tagged
      // object in every tool file.
      [`tool-${name}`]: `import d, { ${names} } from ${JSON.stringify(file)}
;(window.tagrelayChunks ||= []).push(['tool:${name}', { default: d, ${names} }])`,
    }),
  ], false, false)
})

/**
 * Declarations that resolve under every TypeScript `moduleResolution`: with `node16` / `nodenext` an
 * ES module's relative imports need their file extension, so `./x` becomes `./x.js` (or
 * `./x/index.js`), and CommonJS users get `.d.cts` twins (the `require` condition's types).
 */
const nodeDeclarations = (): Plugin => ({
  name: 'node-declarations',
  generateBundle(_, bundle) {
    const dts = (f: string) => /\.d\.c?ts$/.test(f)
    const files = new Set(Object.keys(bundle))
    const spec = (from: string, s: string, ext: string) => {
      if (!s.startsWith('.') || /\.[cm]?js$/.test(s)) return s
      const at = path.posix.join(path.posix.dirname(from), s)
      return files.has(`${at}.d.ts`) ? `${s}${ext}` : files.has(`${at}/index.d.ts`) ? `${s}/index${ext}` : s
    }
    const rewrite = (from: string, code: string, ext: string) =>
      code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.[^'"]*)\2/g, (_m, lead, q, s) => `${lead}${q}${spec(from, s, ext)}${q}`)
    for (const [name, file] of Object.entries(bundle)) {
      if (file.type != 'asset' || !dts(name) || name.endsWith('.d.cts')) continue
      const code = String(file.source)
      file.source = rewrite(name, code, '.js')
      const twin = name.replace(/\.d\.ts$/, '.d.cts')
      if (!files.has(twin)) this.emitFile({ type: 'asset', fileName: twin, source: rewrite(name, code, '.cjs') })
    }
  },
})

const npmInputs: Record<string, string> = { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' }
for (const name of BUILT_IN_TOOLS) npmInputs[`tools/${name}`] = `src/tools/${name}.ts`

/**
 * The loader stub is pasted inline into pages: its map is not named in it (a page-relative URL
 * would be wrong there); it sits beside it, as dist/snippet.min.js.map.
 */
const snippet = iife('src/snippet.ts', 'dist/snippet.min.js')
snippet.output = { ...(snippet.output as OutputOptions), sourcemap: 'hidden' }

const scriptTagBuilds: RollupOptions[] = [
  iife('src/entries/browser.ts', 'dist/tagrelay.min.js', [clean(scriptTagFiles)], true),
  snippet,
  iife('src/chunks/ua.ts', chunkFile('ua')),
  iife('src/chunks/consent-modal.ts', chunkFile('consent-modal')),
  iife('src/chunks/consent-cmp.ts', chunkFile('consent-cmp')),
  iife('src/chunks/expressions.ts', chunkFile('expressions')),
  iife('src/chunks/autoescape.ts', chunkFile('autoescape')),
  iife('src/chunks/page-rules.ts', chunkFile('page-rules')),
  iife('src/chunks/debugger.ts', chunkFile('debugger')),
  iife('src/chunks/config-messages.ts', chunkFile('config-messages')),
  iife('src/chunks/client-events.ts', chunkFile('client-events')),
  iife('src/chunks/outbox.ts', chunkFile('outbox')),
  ...toolChunks,
]

const npmBuild: RollupOptions = {
  input: npmInputs,
  external: ['ua-parser-js'],
  plugins: [clean(() => ['dist/npm']), resolve({ extensions: ['.ts', '.mjs', '.js', '.json'] }), transpile(), declarations(), nodeDeclarations()],
  output: [
    { dir: 'dist/npm', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    { dir: 'dist/npm', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', exports: 'named', sourcemap: true },
  ],
}

/**
 * The `tagrelay` command (src/cli/, for Node) and what it builds a site's script from: the runtime
 * as unminified ES modules, one file per module (dist/site/), so that `tagrelay build` can replace
 * the build-time constants (src/build/flags.ts) and the site config module, then bundle and minify
 * for one config. Rollup and terser stay the command's own dependencies: none reaches a browser.
 */
// (With the chunks a site build may put in its core: src/cli/site-build.ts, INLINE.)
const siteInputs: Record<string, string> = { 'entries/site': 'src/entries/site.ts' }
for (const name of ['expressions/index', 'autoescape/index', 'page-rules/index', 'consent/cmp']) siteInputs[name] = `src/${name}.ts`
for (const name of BUILT_IN_TOOLS) siteInputs[`tools/${name}`] = `src/tools/${name}.ts`
/** The constants stay a module of their own (rollup would fold them in), written as it is; imported by the path it has next to the modules that import it. */
const flagsKeptApart = (): Plugin => ({
  name: 'flags-kept-apart',
  resolveId: (id) => (/\/build\/flags$/.test(id) ? { id: path.resolve('src/build/flags.js'), external: 'relative' } : null),
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'build/flags.js', source: readFileSync('src/build/flags.ts', 'utf8').replace(/: boolean = /g, ' = ') })
  },
})
const commandBuilds: RollupOptions[] = [
  {
    input: siteInputs,
    external: ['ua-parser-js'],
    plugins: [flagsKeptApart(), resolve({ extensions: ['.ts', '.mjs', '.js', '.json'] }), transpile()],
    output: { dir: 'dist/site', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js', sourcemap: true },
  },
  {
    input: 'src/cli/main.ts',
    external: (id) => id.startsWith('node:') || /^(rollup|terser|typescript|@rollup\/)/.test(id),
    plugins: [resolve({ extensions: ['.ts', '.mjs', '.js', '.json'] }), transpile()],
    output: { file: 'dist/cli/tagrelay.js', format: 'es', banner: '#!/usr/bin/env node', sourcemap: true },
  },
]

/** `--configScriptTags` (`npm start`): only the script-tag files, which is what the demo serves. */
export default (args: Record<string, unknown>): RollupOptions[] => (args.configScriptTags ? scriptTagBuilds : [...scriptTagBuilds, npmBuild, ...commandBuilds])
