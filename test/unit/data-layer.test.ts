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

test('the bridge is in the core: no file is loaded for it; entries pushed before start follow the first track() of the same task', async () => {
  const asked: string[] = []
  const load = (name: string) => (asked.push(name), Promise.reject(new Error('no ' + name)))
  const off = setupWithLoad({ tools: { c: httpTool() } }, load)
  await off.zaraz.track('ready')
  expect(asked).toEqual([])

  w.dataLayer = [{ event: 'early' }]
  const on = setupWithLoad(config, load)
  const later = on.zaraz.track('later')
  await later
  await until(() => on.transport.requests.length == 2)
  expect(asked).toEqual([])
  expect(bodies(on.transport).map((b) => (b as { event: string }).event)).toEqual(['later', 'early'])
})

test('the data layer is read even when no file can be loaded', async () => {
  const { zaraz, transport, console } = setupWithLoad(config, () => Promise.reject(new Error('offline')))
  await zaraz.track('ready')
  w.dataLayer!.push({ event: 'pushed' })
  await until(() => transport.requests.length == 2)
  expect(bodies(transport)).toEqual([{ event: 'ready' }, { event: 'pushed' }])
  expect(console.count('warn')).toBe(0)
})

test('pushes keep their place among track() calls, also while the runtime waits for a file', async () => {
  // Found in review: the bridge had become a file of its own (b88ab77); pushes made while it loaded
  // were read only once it arrived, so a track() called after them went out first, without their
  // page-scope values. (Here the runtime waits for the user-agent parser meanwhile: a tool's name
  // that says "user-agent" is enough for it to be loaded.)
  const waiting: Array<() => void> = []
  const arrive = () => waiting.forEach((f) => f())
  const load = (name: string) =>
    name == 'ua' || name == 'data-layer'
      ? new Promise((ok) => waiting.push(() => ok(name == 'ua' ? () => undefined : import('../../src/facade/data-layer'))))
      : Promise.reject(new Error('no ' + name))
  w.dataLayer = []
  const { zaraz, transport } = setupWithLoad({ ...config, tools: { c: httpTool({ name: 'user-agent collector' }) } }, load)
  await new Promise((r) => setTimeout(r, 20))
  w.dataLayer.push({ event: 'first', step: 1 })
  const second = zaraz.track('second')
  w.dataLayer.push({ event: 'third', step: 3 })
  arrive()
  await second
  await until(() => transport.requests.length == 3)
  expect(bodies(transport)).toEqual([
    { event: 'first', step: 1 },
    { event: 'second', step: 1 },
    { event: 'third', step: 3 },
  ])
})
