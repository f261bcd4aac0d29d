import type { Plugin, RollupOptions } from 'rollup'
import typescript from '@rollup/plugin-typescript'
import resolve from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import terser from '@rollup/plugin-terser'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { BUILT_IN_TOOLS } from './src/tools/built-ins'

/**
 * Three kinds of output:
 * - the script-tag files (IIFE, minified): the core bundle, the loader stub, and the pieces the
 *   core loads only when a config needs them (the user-agent parser, each built-in tool);
 * - the npm entries (ESM + CommonJS + .d.ts) for bundlers.
 */

/**
 * `eager`: V8's explicit compile hint (Chrome 136+), which compiles every function of the file
 * when the file is compiled (off the main thread for a `<script src>`), instead of each one at its
 * first call; for the core, whose functions nearly all run at start-up (see docs/performance.md).
 */
const minify = (eager = false) =>
  terser({
    ecma: 2020,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    mangle: { properties: false },
    format: { comments: false, preamble: eager ? '//# allFunctionsCalledOnLoad' : undefined },
  })

const ts = (declarations = false) =>
  typescript({
    tsconfig: './tsconfig.build.json',
    ...(declarations
      ? { declaration: true, declarationDir: 'dist/npm', outDir: 'dist/npm' }
      : { declaration: false, outDir: undefined, declarationDir: undefined }),
  })

/** Entry modules that exist only in the build (each chunk's self-registration). */
const virtual = (modules: Record<string, string>): Plugin => ({
  name: 'virtual-entries',
  resolveId: (id) => (id in modules ? '\0virtual:' + id : null),
  load: (id) => (id.startsWith('\0virtual:') ? modules[id.slice('\0virtual:'.length)] : null),
})

const iife = (input: string, file: string, plugins: Plugin[] = [], eager = false): RollupOptions => ({
  input,
  plugins: [...plugins, resolve({ browser: true }), commonjs(), ts()],
  output: { file, format: 'iife', plugins: [minify(eager)], generatedCode: 'es2015' },
})

/** The named exports a built-in tool hands over (see ToolModule); `sentFromServer` only where a tool has it. */
const toolExports = (file: string) => ['permissions', ...(/^export const sentFromServer\b/m.test(readFileSync(file, 'utf8')) ? ['sentFromServer'] : [])]

const toolChunks = BUILT_IN_TOOLS.map((name) => {
  const file = `${process.cwd()}/src/tools/${name}.ts`
  const names = toolExports(file).join(', ')
  return iife(`tool-${name}`, `dist/tools/${name}.min.js`, [
    virtual({
      // The exports as a plain object: a namespace object (`import * as`) costs a frozen, tagged
      // object in every tool file.
      [`tool-${name}`]: `import d, { ${names} } from ${JSON.stringify(file)}
;(window.tagrelayChunks ||= []).push(['tool:${name}', { default: d, ${names} }])`,
    }),
  ])
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

const config: RollupOptions[] = [
  iife('src/entries/browser.ts', 'dist/tagrelay.min.js', [], true),
  iife('src/snippet.ts', 'dist/snippet.min.js'),
  iife('src/chunks/ua.ts', 'dist/ua.min.js'),
  iife('src/chunks/consent-modal.ts', 'dist/consent-modal.min.js'),
  iife('src/chunks/consent-cmp.ts', 'dist/consent-cmp.min.js'),
  iife('src/chunks/expressions.ts', 'dist/expressions.min.js'),
  iife('src/chunks/autoescape.ts', 'dist/autoescape.min.js'),
  iife('src/chunks/page-rules.ts', 'dist/page-rules.min.js'),
  iife('src/chunks/debugger.ts', 'dist/debugger.min.js'),
  iife('src/chunks/config-messages.ts', 'dist/config-messages.min.js'),
  iife('src/chunks/client-events.ts', 'dist/client-events.min.js'),
  iife('src/chunks/outbox.ts', 'dist/outbox.min.js'),
  ...toolChunks,
  {
    input: npmInputs,
    external: ['ua-parser-js'],
    plugins: [ts(true), nodeDeclarations()],
    output: [
      { dir: 'dist/npm', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      { dir: 'dist/npm', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', exports: 'named' },
    ],
  },
]

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
config.push(
  {
    input: siteInputs,
    external: ['ua-parser-js'],
    plugins: [flagsKeptApart(), ts()],
    output: { dir: 'dist/site', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
  },
  {
    input: 'src/cli/main.ts',
    external: (id) => id.startsWith('node:') || /^(rollup|terser|typescript|@rollup\/)/.test(id),
    plugins: [resolve(), ts()],
    output: { file: 'dist/cli/tagrelay.js', format: 'es', banner: '#!/usr/bin/env node' },
  },
)

export default config
