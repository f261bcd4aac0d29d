import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, expect, test } from 'vitest'
import { validateConfig } from '../../src/config/validate'
import { setup, resetPage } from './helpers'

// examples/config/zaraz-export.json: a complete config in the shape Zaraz exports, with custom
// actions, blocking triggers, variables, expressions, page rules and edge-only settings.
const config = JSON.parse(readFileSync(join(__dirname, '../../examples/config/zaraz-export.json'), 'utf8'))

beforeEach(() => {
  resetPage()
  history.replaceState({}, '', '/')
})

const bodies = (t: { requests: Array<{ url: string; json?: unknown; kind?: string }> }) =>
  t.requests.filter((r) => r.url.startsWith('https://collect.shop.example/')).map((r) => r.json as Record<string, unknown>)

test('it validates: no errors; the edge-only fields and the worker variable are warnings', () => {
  const { errors, warnings } = validateConfig(config)
  expect(errors).toEqual([])
  expect(warnings.map((w) => w.path).sort()).toEqual(
    ['settings.autoInjectScript', 'settings.hideIPAddress', 'settings.initPath', 'settings.mcRootPath', 'settings.scriptPath', 'settings.trackPath', 'variables.vWrk.type'].sort(),
  )
})

test('a pageview on a blog page reaches the pageview action and the blog action, with variables and expressions resolved', async () => {
  history.replaceState({}, '', '/blog/tagging/intro')
  const { zaraz, transport } = setup(config)
  await zaraz.spaPageview()
  expect(bodies(transport)).toEqual([
    { site: 'shop', currency: 'EUR', path: '/blog/tagging/intro' },
    { site: 'shop', currency: 'EUR', en: 'blog_view', section: 'tagging' },
  ])
})

test('draft blog pages are excluded from the blog trigger', async () => {
  history.replaceState({}, '', '/blog/drafts/x')
  const { zaraz, transport } = setup(config)
  await zaraz.spaPageview()
  expect(bodies(transport).map((b) => b.en ?? 'pageview')).toEqual(['pageview'])
})

test('a normal purchase fires the normal conversion, the event action and the pixel; a big one is blocked from the normal action', async () => {
  const { zaraz, transport } = setup(config)
  await zaraz.track('purchase', { order_id: 'o-7', value: 40 })
  expect(bodies(transport)).toEqual([
    { site: 'shop', currency: 'EUR', en: 'purchase', order_id: 'o-7', value: 40 },
    { site: 'shop', currency: 'EUR', en: 'purchase_normal', label: 'order-o-7', value: 40 },
  ])
  expect(transport.requests.filter((r) => r.kind == 'image').map((r) => r.url)).toEqual(['https://px.affiliate.example/p.gif?o=o-7&v=40'])
  transport.clear()
  await zaraz.track('purchase', { order_id: 'o-8', value: 250 })
  expect(bodies(transport).map((b) => b.en)).toEqual(['purchase', 'purchase_big'])
  expect(bodies(transport)[1]).toMatchObject({ label: 'ORDER-O-8', value: 300 })
})

test('the staff cookie blocks every action of the warehouse tool, but not the pixel', async () => {
  document.cookie = 'staff=1; path=/'
  const { zaraz, transport } = setup(config)
  await zaraz.track('purchase', { order_id: 'o-9', value: 10 })
  expect(bodies(transport)).toEqual([])
  expect(transport.requests.filter((r) => r.kind == 'image')).toHaveLength(1)
})

test('the disabled tool never sends', async () => {
  const { zaraz, transport } = setup(config)
  await zaraz.spaPageview()
  expect(transport.requests.some((r) => r.url.startsWith('https://old.example'))).toBe(false)
})
