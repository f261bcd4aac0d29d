import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, expect, test } from 'vitest'
import { createZaraz, validateConfig } from '../../src/index'
import { createRecordingTransport } from '../../src/testing/index'
import { recordingConsole, resetPage } from './helpers'

beforeEach(resetPage)

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8')
const minimalConfig = () => {
  const block = readme.split('## Config')[1].match(/```json\n([\s\S]*?)```/)![1]
  return JSON.parse(block)
}

test('the README’s minimal config is valid', () => {
  expect(validateConfig(minimalConfig())).toEqual({ errors: [], warnings: [] })
})

test('the README’s npm and testing examples work as written', async () => {
  const transport = createRecordingTransport()
  const zaraz = createZaraz({ config: minimalConfig(), transport, pageview: false, env: { console: recordingConsole().log } })
  await zaraz.track('signup', { plan: 'pro' })
  expect(transport.requests[0].json).toEqual({ event: 'signup', plan: 'pro' })
  expect(transport.requests[0].url).toBe('https://collect.example/e')
  await zaraz.ecommerce('Order Completed', { order_id: 'o-1', total: 59.9, currency: 'EUR', products: [{ product_id: 'p1', price: 29.95, quantity: 2 }] })
  expect(transport.requests[1].json).toEqual({
    event: 'Order Completed',
    name: 'Order Completed',
    ecommerce: { order_id: 'o-1', total: 59.9, currency: 'EUR', products: [{ product_id: 'p1', price: 29.95, quantity: 2 }] },
  })
})

test('install: true also sets window.zaraz', () => {
  const zaraz = createZaraz({ config: minimalConfig(), install: true, transport: createRecordingTransport(), pageview: false })
  expect((window as unknown as { zaraz: unknown }).zaraz).toBe(zaraz)
})

test('no table row in the README or docs/ follows a paragraph line (it would render as stray text)', () => {
  const root = join(__dirname, '../..')
  const pages = ['README.md', ...readdirSync(join(root, 'docs'), { recursive: true }).map((f) => join('docs', String(f))).filter((f) => f.endsWith('.md'))]
  const stray: string[] = []
  for (const page of pages) {
    const lines = readFileSync(join(root, page), 'utf8').split('\n')
    let inCode = false
    lines.forEach((line, i) => {
      if (line.startsWith('```')) inCode = !inCode
      const previous = lines[i - 1] ?? ''
      const rowAfterText = line.startsWith('|') && previous.trim() != '' && !previous.startsWith('|')
      if (!inCode && rowAfterText) stray.push(`${page}:${i + 1}`)
    })
  }
  expect(stray).toEqual([])
})
