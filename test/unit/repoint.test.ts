// Page data never re-points a tool (CONTRACT.md §9): event properties, `set` values of every
// scope and data-layer keys do not replace a tool's `__setting_*` fields nor the fields that
// decide where it sends or what code it runs (Custom Image's `imgSrc`, Custom HTML's `htmlCode`,
// Google Ads' `conversionId`); they reach them only through templates the config writes there.
import { beforeEach, describe, expect, test } from 'vitest'
import { createTestZaraz } from '../../src/testing/index'
import type { ManagedComponent } from '../../src/types/mc'
import { resetPage, setup } from './helpers'

type W = Window & { dataLayer?: unknown[] }
const w = window as W

beforeEach(() => {
  resetPage()
  delete w.dataLayer
  document.body.querySelectorAll('.chtml, .evil').forEach((n) => n.remove())
})

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

const EVIL = 'https://evil.example/steal'

/** An action as a Zaraz export writes it: every event but pageviews, with its event properties. */
const allTracks = (data: Record<string, unknown> = {}) => ({
  actionType: 'event',
  firingTriggers: ['AllTracks'],
  blockingTriggers: [],
  data: { __zaraz_setting_name: 'All events', __includeEventProperties: true, ...data },
})

/** An HTTP Request entry shaped like a Zaraz export, posting JSON to the warehouse. */
const warehouse = (extra: Record<string, unknown> = {}) => ({
  type: 'component',
  component: 'http-request',
  name: 'Warehouse',
  enabled: true,
  permissions: ['client_network_requests'],
  settings: { ecommerce: true },
  defaultFields: { __setting_endpoint: 'https://collect.example/e', __setting_method: 'post-json', event: '{{ client.__zarazTrack }}' },
  actions: { a1: allTracks() },
  ...extra,
})

const config = (tools: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ zarazVersion: 57, settings: { ecommerce: true }, triggers: {}, variables: {}, tools, ...extra })

const sent = (t: { requests: Array<{ url: string; method?: string; json?: unknown }> }) => t.requests.map((r) => [r.method, r.url.split('?')[0]])

describe('HTTP Request: the endpoint and the method come from the config', () => {
  test('event properties named __setting_endpoint / __setting_method are not taken', async () => {
    const { zaraz, transport } = setup(config({ w: warehouse() }))
    await zaraz.track('signup', { __setting_endpoint: EVIL, __setting_method: 'get', plan: 'pro' })
    expect(sent(transport)).toEqual([['POST', 'https://collect.example/e']])
    // The other properties still go, as `__includeEventProperties` asks.
    expect(transport.requests[0].json).toEqual({ event: 'signup', plan: 'pro' })
  })

  test('with the endpoint in the tool settings only, page data cannot supply a field that overrides it', async () => {
    const entry = warehouse({ settings: { __setting_endpoint: 'https://collect.example/s', __setting_method: 'post-json' }, defaultFields: { event: '{{ client.__zarazTrack }}' } })
    const { zaraz, transport } = setup(config({ w: entry }))
    await zaraz.track('signup', { __setting_endpoint: EVIL })
    expect(sent(transport)).toEqual([['POST', 'https://collect.example/s']])
  })

  test('one zaraz.set of every scope does not re-point it, on this page view nor on later ones', async () => {
    const first = setup(config({ w: warehouse() }))
    first.zaraz.set('__setting_endpoint', EVIL, { scope: 'persist' })
    first.zaraz.set('__setting_method', 'get', { scope: 'session' })
    first.zaraz.set('__setting_endpoint', EVIL + '/page', { scope: 'page' })
    await first.zaraz.track('a')
    expect(sent(first.transport)).toEqual([['POST', 'https://collect.example/e']])
    // The next page view reads the persisted value (it is still readable in templates: `{{ client.__setting_endpoint }}`).
    const next = setup(config({ w: warehouse() }))
    await next.zaraz.track('b')
    expect(sent(next.transport)).toEqual([['POST', 'https://collect.example/e']])
  })

  test('a data-layer push does not re-point it', async () => {
    const { zaraz, transport } = setup(config({ w: warehouse() }, { dataLayer: true }))
    await zaraz.track('ready')
    w.dataLayer!.push({ __setting_endpoint: EVIL })
    w.dataLayer!.push({ event: 'signup', plan: 'pro', __setting_method: 'get' })
    await until(() => transport.requests.length == 2)
    expect(sent(transport)).toEqual([
      ['POST', 'https://collect.example/e'],
      ['POST', 'https://collect.example/e'],
    ])
    expect(transport.requests[1].json).toEqual({ event: 'signup', plan: 'pro' })
  })

  test('older exports (__enrichPayload: "client") and automated actions are held to the same rule', async () => {
    const entry = warehouse({ actions: { a1: { ...allTracks(), data: { __enrichPayload: 'client' } } }, automatedActions: { pageview: true } })
    const { zaraz, transport } = setup(config({ w: entry }))
    await zaraz.track('Pageview', { __setting_endpoint: EVIL })
    await zaraz.track('x', { __setting_endpoint: EVIL })
    expect(sent(transport)).toEqual([
      ['POST', 'https://collect.example/e'],
      ['POST', 'https://collect.example/e'],
    ])
  })

  test('e-commerce parameters do not reach the endpoint either (they travel under `ecommerce`)', async () => {
    const entry = warehouse({ automatedActions: { ecommerce: true } })
    const { zaraz, transport } = setup(config({ w: entry }))
    await zaraz.ecommerce('Order Completed', { order_id: 'o1', __setting_endpoint: EVIL, __setting_method: 'get' })
    expect(sent(transport)).toEqual([['POST', 'https://collect.example/e']])
    expect(transport.requests[0].json).toEqual({ event: 'Order Completed', name: 'Order Completed', ecommerce: { order_id: 'o1' } })
  })

  test('page data reaches the endpoint through a template the config writes there', async () => {
    const entry = warehouse({ defaultFields: { __setting_endpoint: 'https://collect.example/{{ client.region }}', __setting_method: 'post-json' } })
    const { zaraz, transport } = setup(config({ w: entry }))
    await zaraz.track('x', { region: 'eu' })
    expect(sent(transport)).toEqual([['POST', 'https://collect.example/eu']])
  })
})

describe('Custom Image and Custom HTML: the URL and the markup come from the config', () => {
  const pixel = (defaultFields: Record<string, unknown>) => ({
    type: 'component',
    component: 'custom-image',
    name: 'Pixel',
    enabled: true,
    settings: {},
    defaultFields,
    actions: { a1: allTracks() },
  })

  test('an imgSrc event property, set value or data-layer key does not replace the image URL', async () => {
    const { zaraz, transport } = setup(config({ p: pixel({ imgSrc: 'https://px.example/i.gif?e={{ client.__zarazTrack }}' }) }, { dataLayer: true }))
    await zaraz.track('a', { imgSrc: EVIL })
    zaraz.set('imgSrc', EVIL, { scope: 'persist' })
    await zaraz.track('b')
    w.dataLayer!.push({ event: 'c', imgSrc: EVIL })
    await until(() => transport.requests.length == 3)
    expect(transport.requests.map((r) => r.url)).toEqual(['https://px.example/i.gif?e=a', 'https://px.example/i.gif?e=b', 'https://px.example/i.gif?e=c'])
  })

  test('a tool whose config writes no imgSrc sends nothing, whatever the page sends', async () => {
    const { zaraz, transport } = setup(config({ p: pixel({}) }))
    await zaraz.track('a', { imgSrc: EVIL })
    expect(transport.requests).toEqual([])
  })

  test('the image URL takes page data through its template', async () => {
    const { zaraz, transport } = setup(config({ p: pixel({ imgSrc: 'https://px.example/i.gif?sku={{ client.sku }}' }) }))
    await zaraz.track('a', { sku: 's1' })
    expect(transport.requests.map((r) => r.url)).toEqual(['https://px.example/i.gif?sku=s1'])
  })

  const html = (where: 'defaultFields' | 'settings') => ({
    type: 'component',
    component: 'custom-html',
    name: 'Chat',
    enabled: true,
    permissions: ['execute_unsafe_scripts'],
    settings: where == 'settings' ? { htmlCode: '<p class="chtml">ok</p>' } : {},
    defaultFields: where == 'defaultFields' ? { htmlCode: '<p class="chtml">ok</p>' } : {},
    actions: { a1: allTracks() },
  })

  test.each(['defaultFields', 'settings'] as const)('an htmlCode event property or set value does not replace the markup (htmlCode in %s)', async (where) => {
    const { zaraz } = setup(config({ h: html(where) }))
    await zaraz.track('a', { htmlCode: '<p class="evil">x</p>' })
    zaraz.set('htmlCode', '<p class="evil">y</p>')
    await zaraz.track('b')
    await new Promise((r) => setTimeout(r, 0))
    expect(document.querySelectorAll('.evil').length).toBe(0)
    expect(document.querySelectorAll('.chtml').length).toBe(2)
  })
})

describe('Google Ads: the conversion account comes from the config', () => {
  test('a conversionId event property does not send the conversion to another account', async () => {
    const ads = {
      type: 'component',
      component: 'google-ads',
      name: 'Ads',
      enabled: true,
      settings: { conversionId: 'AW-111' },
      defaultFields: {},
      actions: { a1: allTracks() },
    }
    const { zaraz, transport } = setup(config({ g: ads }))
    await zaraz.track('lead', { conversionId: 'AW-999' })
    expect(transport.requests.map((r) => new URL(r.url).pathname)).toEqual(['/pagead/viewthroughconversion/111/'])
  })
})

describe('catalogue tools: the account comes from the config', () => {
  // Each tool's action field that overrides its account setting, and the host its hits go to.
  const CASES: Array<[string, Record<string, string>, string, string, string, Record<string, string>]> = [
    ['bing', { ti: '111' }, 'ti', 'bat.bing.com', 'event', {}],
    ['linkedin', { pid: '111' }, 'pid', 'px.ads.linkedin.com', 'event', {}],
    ['snapchat', { pid: '111' }, 'pid', 'tr.snapchat.com', 'event', { ev: 'SIGN_UP' }],
    ['pinterest', { tid: '111' }, 'tid', 'ct.pinterest.com', 'lead', {}],
    ['indeed', { conversion_id: '111' }, 'conversion_id', 'conv.indeed.com', 'conversion', {}],
  ]
  test.each(CASES)('%s: an event property named like its account field does not re-point it', async (component, settings, field, host, actionType, data) => {
    const entry = { type: 'component', component, name: component, enabled: true, settings, defaultFields: {}, actions: { a1: { ...allTracks(data), actionType } } }
    const { zaraz, transport } = setup(config({ t: entry }))
    await zaraz.track('lead', { [field]: '999', other: 'kept' })
    await new Promise((r) => setTimeout(r, 50))
    const sent = transport.requests.filter((r) => new URL(r.url).hostname == host)
    expect(sent.length).toBeGreaterThan(0)
    for (const r of sent) expect(decodeURIComponent(r.url + ' ' + String(r.body ?? ''))).not.toContain('999')
  })

  test('the same name stays page data for a tool it does not re-point (HTTP Request)', async () => {
    const entry = { type: 'component', component: 'http-request', name: 'c', enabled: true, settings: {}, defaultFields: { __setting_endpoint: 'https://collect.example/c', __setting_method: 'get' }, actions: { a1: allTracks() } }
    const { zaraz, transport } = setup(config({ t: entry }))
    await zaraz.track('lead', { pid: '999', tid: '998' })
    expect(new URL(transport.requests[0].url).searchParams.get('pid')).toBe('999')
    expect(new URL(transport.requests[0].url).searchParams.get('tid')).toBe('998')
  })
})

describe('registered components', () => {
  test('get no __ field from page data: a component takes its destination from its settings or a __setting_* field', async () => {
    const payloads: unknown[] = []
    const mc: ManagedComponent = (manager) => {
      manager.addEventListener('event', ({ payload }) => {
        payloads.push(payload)
      })
    }
    const entry = { type: 'component', component: 'my-collector', name: 'Mine', enabled: true, settings: {}, defaultFields: { __setting_url: '/mine' }, actions: { a1: allTracks() } }
    const { zaraz } = setup(config({ m: entry }), { tools: { 'my-collector': mc } })
    await zaraz.track('x', { __setting_url: EVIL, __other: 1, plan: 'pro' })
    expect(payloads).toEqual([{ __setting_url: '/mine', plan: 'pro' }])
  })
})

describe('debug mode', () => {
  test('says when page data named a field only the config writes', async () => {
    const t = createTestZaraz({ config: config({ w: warehouse() }) })
    await t.zaraz.track('signup', { __setting_endpoint: EVIL, plan: 'pro' })
    await t.settle()
    const line = t.records[0].decisions.find((d) => d.tool == 'w')!
    expect(line).toMatchObject({ sent: true, payload: { __setting_endpoint: 'https://collect.example/e' } })
    expect(line.reason).toBe('firing trigger "AllTracks" matched; page data cannot set __setting_endpoint (only the config does): not taken')
    await t.zaraz.track('plain', { plan: 'pro' })
    await t.settle()
    expect(t.records[1].decisions.find((d) => d.tool == 'w')!.reason).toBe('firing trigger "AllTracks" matched')
  })
})
