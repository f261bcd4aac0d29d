/// <reference types="node" />
/**
 * `tagrelay build`: a site's own script. The config is checked here, at build time, and compiled
 * into the core with the tools it names (one file before the first hit); the runtime's parts the
 * config cannot reach are left out through the build-time constants of src/build/flags.ts; the
 * rarely used parts stay lazily loaded files. Every script is content-hashed, with a source map.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join, relative, resolve as resolvePath, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import { rollup, type Plugin } from 'rollup'
import terser from '@rollup/plugin-terser'
import nodeResolve from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import { compileConfig } from '../config/compile'
import { compileExpression } from '../expressions/index'
import { compileMarkup } from '../autoescape/index'
import { BUILT_IN_TOOLS } from '../tools/built-ins'
import { readConsentSettings } from '../consent/settings'
import { CliError } from './errors'
import { checkConfigFile, describeProblems } from './config-file'
import { DIST, PACKAGE_ROOT, genericFiles, packageVersion } from './package-files'
import { mangleProperties } from '../build/mangle'
import { GOOGLE_COMPONENTS } from '../consent/settings'
import { typescriptPlugin } from './typescript'
import { compileAtBuildTime } from './compiled-config'
import type * as Flags from '../build/flags'

export interface SiteBuildOptions {
  configFile: string
  outDir: string
  /** The URL path the files are served from (snippet.html's script URL); default `/tagrelay/`. */
  base?: string
  /** Components bundled from files, by name: for config entries whose `component` is that name. */
  tools: Record<string, string>
}

export interface SiteFile {
  file: string
  /** What it is: `core`, or the chunk name (`consent-modal`, `ua`…). */
  name: string
  integrity: string
  bytes: number
  gzip: number
}

export interface Manifest {
  tagrelay: string
  base: string
  core: SiteFile
  files: SiteFile[]
  /** Components in the core, and from where: `built-in` or the `--tool` file. */
  tools: Record<string, string>
  /** Components the config names that are neither built in nor given with `--tool`: the page registers them. */
  unbundled: string[]
  /** The chunks in the core (the rest are `files`). */
  inline: string[]
  flags: typeof Flags
}

const SITE = join(DIST, 'site')

/**
 * The same terser options as the generic build's (rollup.config.ts, `minify`), internal fields
 * renamed by the package's name map (`mangle.json`), so that the core and the generic lazy files
 * agree. `reserved`: the `_names` the tools' code uses (vendor names such as Impact's `_ir`, or a
 * component's own fields), which keep their names.
 */
const minify = (reserved: Set<string>) =>
  terser({
    ecma: 2020,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    mangle: { properties: mangleProperties([...reserved]) },
    nameCache: { props: JSON.parse(readFileSync(join(PACKAGE_ROOT, 'mangle.json'), 'utf8')) },
    format: { comments: false, preamble: '//# allFunctionsCalledOnLoad' },
  })

/** Collects the `_names` in the code of modules outside the runtime (tools, their libraries). */
const namesOutsideRuntime = (names: Set<string>): Plugin => ({
  name: 'names-outside-runtime',
  transform(code, id) {
    const runtime = id.startsWith(SITE + sep) && !id.startsWith(join(SITE, 'tools') + sep)
    if (!runtime) for (const name of code.match(/\b_[a-zA-Z]+\b/g) ?? []) names.add(name)
    return null
  },
})

const sha = (algorithm: string, data: string | Buffer, encoding: 'hex' | 'base64') => createHash(algorithm).update(data).digest(encoding)
const describe = (file: string, name: string, code: string): SiteFile => ({
  file,
  name,
  integrity: 'sha384-' + sha('sha384', code, 'base64'),
  bytes: Buffer.byteLength(code),
  gzip: gzipSync(code, { level: 9 }).length,
})
/** `<name>.<hash>.js`: the name changes whenever the content does. */
const hashedName = (name: string, code: string) => `${name}.${sha('sha256', code, 'hex').slice(0, 10)}.js`

/**
 * The chunks a site build can put in its core: the module of dist/site/ and what its file would
 * register (src/chunks/), from the module's namespace `m`.
 */
const INLINE: Record<string, [module: string, exports: (m: string) => string]> = {
  expressions: ['expressions/index.js', (m) => `{ expression: ${m}.compileExpression }`],
  autoescape: ['autoescape/index.js', (m) => `{ escape: ${m}.compileMarkup }`],
  'page-rules': ['page-rules/index.js', (m) => m],
  'consent-cmp': ['consent/cmp.js', (m) => m],
}

interface Needs {
  userAgent: boolean
  expressions: boolean
  escaper: boolean
  consent: boolean
  /** Consent on, purposes, and a Google tool: the Consent Mode bridge loads at start. */
  consentMode: boolean
}

/**
 * What this config needs, by chunk name (src/platform/chunks.ts): `inline` at every start, so in the
 * core (a file would only delay the first hit); `lazy` only on some visits, as files.
 */
function chunksOf(flags: typeof Flags, needs: Needs): { inline: string[]; lazy: string[] } {
  const inline: string[] = []
  const lazy = ['client-events', 'outbox']
  if (needs.expressions) inline.push('expressions')
  if (needs.escaper) inline.push('autoescape')
  if (flags.PAGE_RULES) inline.push('page-rules')
  if (needs.consentMode) inline.push('consent-cmp')
  // (The bridges also follow a TCF CMP or Consent Mode values a page sets: then loaded when it does.)
  else lazy.push('consent-cmp')
  if (needs.consent) lazy.push('consent-modal')
  if (needs.userAgent) lazy.push('ua')
  if (flags.DEBUG_MODE) lazy.push('debugger')
  return { inline, lazy }
}

/** Replaces the placeholder modules of dist/site/ (the constants, the site config) with this build's. */
const substitute = (modules: Record<string, string>): Plugin => ({
  name: 'tagrelay-site-modules',
  load: (id) => modules[resolvePath(id)] ?? null,
})

export async function buildSite(o: SiteBuildOptions): Promise<{ manifest: Manifest; lines: string[] }> {
  const checked = checkConfigFile(o.configFile)
  if (checked.errors.length) throw new CliError(['invalid config; nothing written', ...describeProblems(o.configFile, checked)].join('\n'))
  const config = checked.config as Record<string, unknown>
  const base = o.base ?? '/tagrelay/'
  if (!/^(\/|https:\/\/)/.test(base) || !base.endsWith('/')) throw new CliError(`--base ${base}: expected a URL path that starts and ends with "/" (or an https:// URL ending in "/")`)

  // The compile step, at build time: the model goes in the core as data, and what the config can
  // reach decides the constants.
  const model = compileConfig(config, { expression: compileExpression, escape: compileMarkup }).model!
  const first = compileAtBuildTime(config)
  const flags: typeof Flags = {
    CONFIG_COMPILER: false,
    PAGE_RULES: model.pageRules.length > 0,
    DATA_LAYER: config.dataLayer === true,
    HISTORY_CHANGE: config.historyChange === true,
    DEBUG_MODE: typeof config.debugKey == 'string' && config.debugKey != '',
  }
  const consent = readConsentSettings(config.consent)

  // The tools in the core: every component an enabled entry names, from --tool or built in.
  const tools: Record<string, string> = {}
  const unbundled: string[] = []
  for (const [name, file] of Object.entries(o.tools)) if (!existsSync(file)) throw new CliError(`--tool ${name}=${file}: no such file`)
  for (const component of new Set(model.tools.map((t) => t.component))) {
    if (o.tools[component]) tools[component] = resolvePath(o.tools[component])
    else if ((BUILT_IN_TOOLS as readonly string[]).includes(component)) tools[component] = join(SITE, 'tools', component + '.js')
    else unbundled.push(component)
  }

  // The lazily loaded files are the generic build's (the same code whatever the config), renamed by content.
  const generic = genericFiles()
  // (Nothing is deleted: an earlier build's files stay for the pages whose snippet still names them.)
  mkdirSync(o.outDir, { recursive: true })
  const files: SiteFile[] = []
  const urls: Record<string, string> = {}
  const chunks = chunksOf(flags, {
    userAgent: model.needsUserAgent && !model.privacy.hideUserAgent,
    expressions: first.needsExpressions,
    escaper: !!first.needsEscaper,
    consent: consent.enabled,
    // (The gate's own test: src/consent/gate.ts.)
    consentMode: consent.enabled && consent.ids.length > 0 && model.tools.some((t) => GOOGLE_COMPONENTS.includes(t.component)),
  })
  for (const name of chunks.lazy) {
    const from = generic.get(name)
    if (!from) throw new CliError(`the package has no ${name}.min.js: reinstall tagrelay`)
    const code = readFileSync(from, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '')
    const file = hashedName(name, code)
    let out = code
    if (existsSync(from + '.map')) {
      writeFileSync(join(o.outDir, file + '.map'), readFileSync(from + '.map'))
      out += `\n//# sourceMappingURL=${file}.map`
    }
    writeFileSync(join(o.outDir, file), out)
    files.push(describe(file, name, out))
    urls[name] = file
  }

  // The core: the runtime of dist/site/ with this config, these tools and these constants.
  const toolNames = Object.keys(tools)
  const relativeImport = (file: string) => JSON.stringify('./' + relative(join(SITE, 'entries'), file).split(sep).join('/'))
  const siteConfig = [
    ...chunks.inline.map((name, i) => `import * as chunk${i} from ${relativeImport(join(SITE, INLINE[name][0]))}`),
    `export const inline = { ${chunks.inline.map((name, i) => `${JSON.stringify(name)}: ${INLINE[name][1]('chunk' + i)}`).join(', ')} }`,
    // (Relative to this module, dist/site/entries/: no path of the machine that built it is in the source map.)
    ...toolNames.map((name, i) => `import * as tool${i} from ${relativeImport(tools[name])}`),
    `export const compiled = ${JSON.stringify(first.compiled)}`,
    `export const config = ${JSON.stringify(first.runtime)}`,
    `export const tools = { ${toolNames.map((name, i) => `${JSON.stringify(name)}: tool${i}`).join(', ')} }`,
    `export const files = ${JSON.stringify(urls)}`,
  ].join('\n')
  const flagsModule = Object.entries(flags).map(([k, v]) => `export const ${k} = ${v}`).join('\n')
  const toolFieldNames = new Set<string>()
  let bundle
  try {
    bundle = await rollup({
      input: join(SITE, 'entries', 'site.js'),
      plugins: [
        namesOutsideRuntime(toolFieldNames),
        substitute({ [join(SITE, 'entries', 'site-config.js')]: siteConfig, [join(SITE, 'build', 'flags.js')]: flagsModule }),
        typescriptPlugin(),
        nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.mts', '.json'] }),
        commonjs(),
      ],
      // A module that cannot be found or an import it does not export would break the script; other warnings (circular imports in a component's packages…) do not.
      onwarn: (w) => {
        if (w.code == 'UNRESOLVED_IMPORT' || w.code == 'MISSING_EXPORT') throw new CliError(`bundling failed: ${w.message}`)
      },
    })
  } catch (e) {
    throw e instanceof CliError ? e : new CliError(`bundling failed: ${(e as Error).message}`)
  }
  const { output } = await bundle.generate({
    format: 'iife',
    sourcemap: true,
    generatedCode: 'es2015',
    plugins: [minify(toolFieldNames)],
    // The runtime's modules as `tagrelay/…`, a component from a file by its name: the map says nothing of this machine.
    sourcemapPathTransform: (_, map) => {
      const file = resolvePath(map, '..', _)
      return file.startsWith(SITE) ? 'tagrelay/' + relative(SITE, file).split(sep).join('/') : 'tools/' + basename(file)
    },
  })
  await bundle.close()
  const [chunk] = output
  if (chunk.type != 'chunk') throw new CliError('bundling failed: no script')
  const coreFile = hashedName('tagrelay', chunk.code)
  const core = chunk.code + `\n//# sourceMappingURL=${coreFile}.map\n`
  writeFileSync(join(o.outDir, coreFile), core)
  writeFileSync(join(o.outDir, coreFile + '.map'), JSON.stringify({ ...chunk.map, file: coreFile }))

  const manifest: Manifest = {
    tagrelay: packageVersion(),
    base,
    core: describe(coreFile, 'core', core),
    files,
    tools: Object.fromEntries(toolNames.map((name) => [name, o.tools[name] ? o.tools[name] : 'built-in'])),
    unbundled,
    inline: chunks.inline,
    flags,
  }
  writeFileSync(join(o.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
  writeFileSync(join(o.outDir, 'snippet.html'), snippet(readFileSync(generic.get('snippet')!, 'utf8').trim(), base + coreFile, manifest.core.integrity, manifest.tagrelay))

  const kb = (n: number) => (n / 1024).toFixed(2) + ' KB'
  const lines = [
    ...checked.warnings.length ? describeProblems(o.configFile, checked) : [],
    `${o.outDir}/${coreFile}  ${kb(manifest.core.gzip)} gzip (config, tools: ${toolNames.join(', ') || 'none'}${chunks.inline.length ? '; ' + chunks.inline.join(', ') : ''})`,
    ...files.map((f) => `${o.outDir}/${f.file}  ${kb(f.gzip)} gzip (lazy: ${f.name})`),
    ...unbundled.map((c) => `note: component "${c}" is not bundled: register it on the page with zaraz.registerTool, or pass --tool ${c}=<file>`),
    `${o.outDir}/snippet.html: paste it in <head> (docs/deploying.md)`,
  ]
  return { manifest, lines }
}

/** What to paste in `<head>`: the loader stub inline, then the site build's script, checked by SRI. */
function snippet(stub: string, src: string, integrity: string, version: string): string {
  return `<!-- tagrelay ${version} site build. Paste in <head>. With a CSP nonce, put the page's nonce
     in both nonce attributes (each response gets a fresh one); without one, remove them. -->
<script nonce="NONCE">${stub.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '')}</script>
<script async src="${src}" integrity="${integrity}" crossorigin="anonymous" nonce="NONCE"></script>
`
}
