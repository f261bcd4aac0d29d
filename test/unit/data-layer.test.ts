import { beforeEach, expect, test } from 'vitest'
import { setup, setupWithLoad, httpTool, resetPage } from './helpers'

type W = Window & { dataLayer?: unknown[] }
const w = window as W

beforeEach(() => {
  resetPage()
  delete w.dataLayer
})

const config = { dataLayer: true, tools: { c: httpTool() } }
const bodies = (t: { requests: Array<{ json?: unknown }> }) => t.requests.map((r) => r.json)

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

test('a push with an event becomes a track with the keys of every push so far', async () => {
  const { zaraz, transport } = setup(config)
  await zaraz.track('ready')
  w.dataLayer!.push({ user_type: 'member' })
  w.dataLayer!.push({ event: 'signup', plan: 'pro' })
  await until(() => transport.requests.length == 2)
  expect(bodies(transport)[1]).toEqual({ event: 'signup', user_type: 'member', plan: 'pro' })
})

test('pushes without an event set page-scope values that later events carry', async () => {
  const { zaraz, transport } = setup(config)
  await zaraz.track('ready')
  w.dataLayer!.push({ section: 'blog' })
  await zaraz.track('read')
  expect(bodies(transport)[1]).toEqual({ event: 'read', section: 'blog' })
  expect(localStorage.getItem('_zaraz_section')).toBeNull()
})

test('entries pushed before tagrelay started are replayed once, in order; gtm.* events are ignored', async () => {
  w.dataLayer = [{ 'gtm.start': 1, event: 'gtm.js' }, { page_type: 'product' }, { event: 'view_item', sku: 's1' }]
  const { zaraz, transport } = setup(config)
  await until(() => transport.requests.length == 1)
  await zaraz.track('after')
  expect(bodies(transport)).toEqual([
    { event: 'view_item', 'gtm.start': 1, page_type: 'product', sku: 's1' },
    { event: 'after', 'gtm.start': 1, page_type: 'product', sku: 's1' },
  ])
})

test('push keeps returning the new length and reads only its first argument; bad entries are ignored', async () => {
  const { zaraz, transport } = setup(config)
  await zaraz.track('ready')
  expect(w.dataLayer!.push({ event: 'one' }, { event: 'two' })).toBe(2)
  expect(w.dataLayer!.push('not an object')).toBe(3)
  expect(w.dataLayer!.push({ event: 'fn', callback: () => 1 })).toBe(4)
  await until(() => transport.requests.length == 3)
  expect(bodies(transport).map((b) => (b as { event: string }).event)).toEqual(['ready', 'one', 'fn'])
})

test('without dataLayer: true the page’s dataLayer is left alone', async () => {
  w.dataLayer = []
  const push = w.dataLayer.push
  const { zaraz } = setup({ tools: { c: httpTool() } })
  await zaraz.track('ready')
  expect(w.dataLayer.push).toBe(push)
})

test('the bridge is a chunk of its own: loaded only with dataLayer: true, and events wait for it', async () => {
  const asked: string[] = []
  let arrive = () => {}
  const load = (name: string) => {
    asked.push(name)
    return name == 'data-layer' ? new Promise((ok) => (arrive = () => ok(import('../../src/facade/data-layer')))) : Promise.reject(new Error('no ' + name))
  }
  const off = setupWithLoad({ tools: { c: httpTool() } }, load)
  await off.zaraz.track('ready')
  expect(asked).toEqual([])

  w.dataLayer = [{ event: 'early' }]
  const on = setupWithLoad(config, load)
  const later = on.zaraz.track('later')
  await new Promise((r) => setTimeout(r, 20))
  expect(asked).toEqual(['data-layer'])
  expect(on.transport.requests).toHaveLength(0)
  arrive()
  await later
  await until(() => on.transport.requests.length == 2)
  expect(bodies(on.transport).map((b) => (b as { event: string }).event)).toEqual(['later', 'early'])
})

test('a data layer chunk that fails to load is said once, and events still go out', async () => {
  const { zaraz, transport, console } = setupWithLoad(config, () => Promise.reject(new Error('offline')))
  await zaraz.track('ready')
  expect(bodies(transport)).toEqual([{ event: 'ready' }])
  expect(console.count('warn')).toBe(1)
  expect(console.lines.find((l) => l.level == 'warn')!.args.join(' ')).toMatch(/data layer/)
})
