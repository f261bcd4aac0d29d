// @vitest-environment node
// The build id (rollup.config.ts) names the lazily loaded script-tag files: it changes whenever
// something the build is made from changes, and only then (docs/architecture.md).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { buildId } from '../../rollup.config'

test('the build id is a hash of the sources, the lockfile and the build settings: the same inputs give the same id, any change another', () => {
  const root = mkdtempSync(join(tmpdir(), 'tagrelay-build-id-'))
  mkdirSync(join(root, 'src/tools'), { recursive: true })
  writeFileSync(join(root, 'src/index.ts'), 'export const a = 1\n')
  writeFileSync(join(root, 'src/tools/x.ts'), 'export default 1\n')
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}')
  const first = buildId(root)
  expect(first).toMatch(/^[0-9a-f]{8}$/)
  expect(buildId(root)).toBe(first)

  const ids = new Set([first])
  const change = (file: string, text: string) => {
    writeFileSync(join(root, file), text)
    const id = buildId(root)
    expect(ids.has(id), file).toBe(false)
    ids.add(id)
  }
  change('src/tools/x.ts', 'export default 2\n')
  change('src/tools/y.ts', 'export default 1\n')
  change('package-lock.json', '{"lockfileVersion":3,"packages":{}}')
  change('mangle.json', '{}')
  change('rollup.config.ts', 'export default []\n')
  // A file the build does not read changes nothing.
  const last = buildId(root)
  writeFileSync(join(root, 'notes.txt'), 'x')
  expect(buildId(root)).toBe(last)
})
