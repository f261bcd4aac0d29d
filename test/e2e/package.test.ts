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
