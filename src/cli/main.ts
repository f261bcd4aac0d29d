/// <reference types="node" />
/**
 * The `tagrelay` command: `validate` a config, `build` a site's script from it, `copy` the generic
 * script-tag files. Failures are one line on stderr and exit code 1 (2 for a wrong command line),
 * never a stack trace.
 */
import { parseArgs } from 'node:util'
import { CliError } from './errors'
import { checkConfigFile, describeProblems } from './config-file'
import { buildSite } from './site-build'
import { copyGeneric } from './copy'

const USAGE = `usage:
  tagrelay validate <config.json> [--json]
  tagrelay build <config.json> --out <dir> [--base </url/path/>] [--tool <component>=<module path> ...]
  tagrelay copy <dir>

validate  prints every error and warning with its JSON path; exit 1 on errors
build     checks the config, then writes a site build: one content-hashed script with the config
          and its tools, lazily loaded files, snippet.html and manifest.json (docs/deploying.md)
copy      copies the generic script-tag files (dist/) for self-hosting without a site build`

const usage = (why: string) => new CliError(`${why}\n${USAGE}`, 2)

/** The options of one command, or a usage error. */
function parse(args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (e) {
    throw usage((e as Error).message)
  }
}

/** Runs one command line (without `node` and the script); returns the exit code. */
export async function run(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv
  if (command == 'validate') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' } })
    if (positionals.length != 1) throw usage('validate takes one config file')
    const checked = checkConfigFile(positionals[0])
    if (values.json) out(JSON.stringify({ errors: checked.errors, warnings: checked.warnings }, null, 2))
    else {
      // With errors the whole report goes to stderr, as a failing check's does.
      const say = checked.errors.length ? err : out
      for (const l of describeProblems(positionals[0], checked)) say(l)
    }
    return checked.errors.length ? 1 : 0
  }
  if (command == 'build') {
    const { values, positionals } = parse(rest, { out: { type: 'string' }, base: { type: 'string' }, tool: { type: 'string', multiple: true } })
    if (positionals.length != 1) throw usage('build takes one config file')
    if (!values.out) throw usage('build needs --out <dir>')
    const tools: Record<string, string> = {}
    for (const t of (values.tool as string[] | undefined) ?? []) {
      const at = t.indexOf('=')
      if (at < 1 || at == t.length - 1) throw usage(`--tool ${t}: expected <component>=<module path>`)
      tools[t.slice(0, at)] = t.slice(at + 1)
    }
    const result = await buildSite({ configFile: positionals[0], outDir: values.out as string, base: values.base as string | undefined, tools })
    for (const l of result.lines) out(l)
    return 0
  }
  if (command == 'copy') {
    const { positionals } = parse(rest, {})
    if (positionals.length != 1) throw usage('copy takes one directory')
    for (const l of copyGeneric(positionals[0])) out(l)
    return 0
  }
  if (command == 'help' || command == '--help' || command == '-h') {
    out(USAGE)
    return 0
  }
  throw usage(command ? `unknown command "${command}"` : 'no command')
}

run(process.argv.slice(2), (l) => console.log(l), (l) => console.error(l)).then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    // Only our own failures are expected; anything else is still one line, with what it was.
    console.error(`tagrelay: ${e instanceof CliError ? e.message : `unexpected failure: ${(e as Error)?.message ?? e}`}`)
    process.exitCode = e instanceof CliError ? e.exitCode : 1
  },
)
