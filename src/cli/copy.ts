/// <reference types="node" />
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { DIST, genericFiles } from './package-files'

/**
 * Copies the generic script-tag files into `dir`, as `dist/` lays them out (the core finds the
 * files it loads lazily next to itself), with their source maps when the package has them.
 */
export function copyGeneric(dir: string): string[] {
  const copied: string[] = []
  for (const from of genericFiles().values())
    for (const file of [from, from + '.map']) {
      if (!existsSync(file)) continue
      const to = join(dir, relative(DIST, file))
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(file, to)
      copied.push(relative(DIST, file))
    }
  return [...copied.map((f) => `  ${f}`), `copied ${copied.length} files to ${dir} (see docs/deploying.md)`]
}
