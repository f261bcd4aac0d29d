/// <reference types="node" />
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { CliError } from './errors'

/** The installed package's root: this file is dist/cli/tagrelay.js. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const DIST = join(PACKAGE_ROOT, 'dist')

export const packageVersion = (): string => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version

/**
 * The generic script-tag files (`dist/*.min.js`, `dist/tools/*.min.js`), by chunk name: `tagrelay`
 * (the core), `snippet` (the loader stub), `ua`, `tool:google-analytics-4`…
 */
export function genericFiles(): Map<string, string> {
  if (!existsSync(join(DIST, 'tagrelay.min.js'))) throw new CliError(`${DIST}: the script-tag files are missing (in a clone of tagrelay: npm run build)`)
  const files = new Map<string, string>()
  for (const name of readdirSync(DIST)) if (name.endsWith('.min.js')) files.set(chunkName(name), join(DIST, name))
  for (const name of readdirSync(join(DIST, 'tools'))) if (name.endsWith('.min.js')) files.set('tool:' + chunkName(name), join(DIST, 'tools', name))
  return files
}

/** A generic file's chunk name: without `.min.js` and without the build id the lazily loaded files carry (`ua.3f9a1c2e.min.js`). */
const chunkName = (file: string) => file.replace(/(\.[0-9a-f]{8})?\.min\.js$/, '')
