import { beforeEach, describe, expect, test } from 'vitest'
import { createZaraz } from '../../src/index'
import { createRecordingTransport } from '../../src/testing/index'
import { createManager } from '../../src/tools/host/manager'
import { createClient } from '../../src/tools/host/client'
import { createClientKV } from '../../src/tools/host/client-kv'
import { createFakeClock } from '../../src/testing/index'
import httpRequest, * as httpRequestModule from '../../src/tools/http-request'
import customImage, * as customImageModule from '../../src/tools/custom-image'
import { recordingConsole, resetPage } from './helpers'

beforeEach(resetPage)

/** A runtime with one tool entry `t`, recording its requests. */
function make(tool: Record<string, unknown>, o: { pageview?: boolean } = {}) {
  const transport = createRecordingTransport()
  const zaraz = createZaraz({
    config: { settings: { ecommerce: true }, tools: { t: tool } },
    transport,
    pageview: o.pageview ?? false,
    env: { console: recordingConsole().log },
  })
  return { zaraz, transport }
}

const http = (method: string | undefined, fields: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  component: 'http-request',
  settings: { ecommerce: true },
  automatedActions: { pageview: true, track: true, ecommerce: true },
  defaultFields: {
    __setting_endpoint: 'https://collect.example/c',
    ...(method ? { __setting_method: method } : {}),
    event: '{{ client.__zarazTrack }}',
    ...fields,
  },
  ...extra,
})

const header = (h: Record<string, string> | undefined, name: string) => new Headers(h).get(name)

describe('HTTP Request', () => {
  test('get sends the fields as query parameters, objects JSON-encoded', async () => {
    const { zaraz, transport } = make(http('get'))
    await zaraz.track('signup', { plan: 'pro', seats: 3, meta: { a: 1 }, tags: ['x', 'y'] })
    expect(transport.requests).toHaveLength(1)
    const [req] = transport.requests
    expect(req.method).toBe('GET')
    expect(req.body).toBeUndefined()
    const url = new URL(req.url)
    expect(url.origin + url.pathname).toBe('https://collect.example/c')
    expect(Object.fromEntries(url.searchParams)).toEqual({ event: 'signup', plan: 'pro', seats: '3', meta: '{"a":1}', tags: '["x","y"]' })
  })

  test('get is the method when none is set', async () => {
    const { zaraz, transport } = make(http(undefined))
    await zaraz.track('signup', { plan: 'pro' })
    expect(transport.requests.map((r) => [r.method, r.url])).toEqual([['GET', 'https://collect.example/c?event=signup&plan=pro']])
  })

  test('get keeps the query parameters already in the endpoint', async () => {
    const { zaraz, transport } = make(http('get', { __setting_endpoint: 'https://collect.example/c?k=key' }))
    await zaraz.track('x')
    expect(transport.requests[0].url).toBe('https://collect.example/c?k=key&event=x')
  })

  test('post-json sends the fields as a JSON body with its content type', async () => {
    const { zaraz, transport } = make(http('post-json'))
    await zaraz.track('signup', { plan: 'pro', meta: { a: [1, 2] } })
    expect(transport.requests).toHaveLength(1)
    const [req] = transport.requests
    expect(req.method).toBe('POST')
    expect(req.url).toBe('https://collect.example/c')
    expect(header(req.headers, 'content-type')).toBe('application/json')
    expect(JSON.parse(req.body!)).toEqual({ event: 'signup', plan: 'pro', meta: { a: [1, 2] } })
  })

  test('post-urlencoded sends the fields as a form body, objects JSON-encoded', async () => {
    const { zaraz, transport } = make(http('post-urlencoded'))
    await zaraz.track('signup', { plan: 'pro plus', meta: { a: 1 } })
    const [req] = transport.requests
    expect(req.method).toBe('POST')
    expect(header(req.headers, 'content-type')).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ event: 'signup', plan: 'pro plus', meta: '{"a":1}' })
    expect(req.json).toEqual({ event: 'signup', plan: 'pro plus', meta: '{"a":1}' })
  })

  test('the method may be given in any case', async () => {
    const { zaraz, transport } = make(http('POST-JSON'))
    await zaraz.track('x')
    expect(transport.requests.map((r) => [r.method, r.json])).toEqual([['POST', { event: 'x' }]])
  })

  test('a relative endpoint is resolved against the page', async () => {
    const { zaraz, transport } = make(http('post-json', { __setting_endpoint: '/api/collect' }))
    await zaraz.track('x')
    expect(transport.requests[0].url).toBe(new URL('/api/collect', location.href).href)
  })

  test('fields starting with __ are not sent', async () => {
    const { zaraz, transport } = make(http('post-json', { __secret: 'no', __zaraz_setting_name: 'My action', keep: 'yes' }))
    await zaraz.track('x', { __private: 'no' })
    expect(transport.requests[0].json).toEqual({ event: 'x', keep: 'yes' })
    const { zaraz: z2, transport: t2 } = make(http('get', { __secret: 'no' }))
    await z2.track('x')
    expect(new URL(t2.requests[0].url).search).toBe('?event=x')
  })

  test('an e-commerce event carries its parameters under ecommerce', async () => {
    const { zaraz, transport } = make(http('post-json'))
    const params = { order_id: 'o1', total: 30, products: [{ sku: 's1', price: 10, quantity: 3 }] }
    await zaraz.ecommerce('Order Completed', params)
    expect(transport.requests).toHaveLength(1)
    expect(transport.requests[0].json).toEqual({ event: 'Order Completed', name: 'Order Completed', ecommerce: params })
  })

  test('the first pageview is sent', async () => {
    const { transport } = make(http('post-json'), { pageview: true })
    const [req] = await transport.waitFor(1)
    expect(req.json).toEqual({ event: 'Pageview' })
  })

  test('a missing endpoint sends nothing', async () => {
    const { zaraz, transport } = make(http('post-json', { __setting_endpoint: '' }))
    await zaraz.track('x')
    await zaraz.ecommerce('Cart Viewed', {})
    expect(transport.requests).toEqual([])
  })

  test('the endpoint and method may come from the tool settings', async () => {
    const tool = {
      component: 'http-request',
      settings: { __setting_endpoint: 'https://settings.example/s', __setting_method: 'post-json' },
      automatedActions: { track: true },
      defaultFields: { event: '{{ client.__zarazTrack }}' },
    }
    const { zaraz, transport } = make(tool)
    await zaraz.track('x')
    expect(transport.requests.map((r) => [r.url, r.json])).toEqual([['https://settings.example/s', { event: 'x' }]])
  })

  test('requests carry the event id and the tool id', async () => {
    const { zaraz, transport } = make(http('get'))
    await zaraz.track('a')
    await zaraz.track('b')
    const [a, b] = transport.requests
    expect(a.toolId).toBe('t')
    expect(typeof a.eventId).toBe('string')
    expect(a.eventId).not.toBe(b.eventId)
  })

  test('a config entry without client_network_requests sends nothing', async () => {
    const { zaraz, transport } = make(http('post-json', {}, { permissions: [] }))
    await zaraz.track('x')
    expect(transport.requests).toEqual([])
  })
})

const image = (imgSrc: string | undefined, extra: Record<string, unknown> = {}) => ({
  component: 'custom-image',
  settings: { ecommerce: true },
  automatedActions: { pageview: true, track: true, ecommerce: true },
  defaultFields: imgSrc === undefined ? {} : { imgSrc },
  ...extra,
})

describe('Custom Image', () => {
  test('requests the templated imgSrc as an image', async () => {
    const { zaraz, transport } = make(image('https://px.example/i.gif?e={{ client.__zarazTrack }}&p={{ client.plan }}'))
    await zaraz.track('signup', { plan: 'pro' })
    expect(transport.requests).toEqual([
      expect.objectContaining({ url: 'https://px.example/i.gif?e=signup&p=pro', kind: 'image', toolId: 't' }),
    ])
  })

  test('the image request carries the event id', async () => {
    const { zaraz, transport } = make(image('https://px.example/i.gif'))
    await zaraz.track('a')
    await zaraz.track('b')
    const [a, b] = transport.requests
    expect(typeof a.eventId).toBe('string')
    expect(a.eventId).not.toBe(b.eventId)
  })

  test('the first pageview is sent, and e-commerce events too', async () => {
    const { zaraz, transport } = make(image('https://px.example/i.gif?e={{ client.__zarazTrack }}'), { pageview: true })
    await transport.waitFor(1)
    await zaraz.ecommerce('Product Viewed', { sku: 's' })
    expect(transport.requests.map((r) => [r.kind, r.url])).toEqual([
      ['image', 'https://px.example/i.gif?e=Pageview'],
      ['image', 'https://px.example/i.gif?e=Product%20Viewed'],
    ])
  })

  test('a relative imgSrc is resolved against the page', async () => {
    const { zaraz, transport } = make(image('/px.gif'))
    await zaraz.track('x')
    expect(transport.requests[0].url).toBe(new URL('/px.gif', location.href).href)
  })

  test('no imgSrc sends nothing', async () => {
    const { zaraz, transport } = make(image(undefined))
    await zaraz.track('x')
    expect(transport.requests).toEqual([])
  })

  test('a config entry without client_network_requests sends no image', async () => {
    const { zaraz, transport } = make(image('https://px.example/i.gif', { permissions: [] }))
    await zaraz.track('x')
    expect(transport.requests).toEqual([])
  })

  test('on a host without the image extension it falls back to a no-cors fetch', async () => {
    const transport = createRecordingTransport()
    const { _manager: manager, _listeners: listeners } = createManager({
      _name: 'custom-image',
      _can: () => true,
      _purpose: undefined,
      _consent: () => true,
      _transport: transport,
      _note: () => undefined,
      _toolId: 'img',
      _random: Math.random,
      _dom: () => undefined,
      _widget: () => true,
    })
    const { ext: _ext, ...plain } = manager
    customImage(plain)
    const client = createClient(
      {
        eventId: 'ev1',
        time: 0,
        url: new URL('https://shop.example/'),
        title: '',
        referer: '',
        device: { screenWidth: 0, screenHeight: 0, viewportWidth: 0, viewportHeight: 0, language: '', userAgent: '', timezoneOffset: 0 },
      },
      {
        _toolId: 'img',
        _can: () => true,
        _purpose: undefined,
        _consent: () => true,
        _transport: transport,
        _kv: createClientKV(createFakeClock()),
        _document: document,
        _nonce: undefined,
        _note: () => undefined,
        _attach: () => undefined,
        _detach: () => undefined,
      },
    )
    listeners.get('event')![0]({ type: 'event', name: 'x', payload: { imgSrc: '/i.gif' }, client })
    expect(transport.requests).toEqual([
      expect.objectContaining({ url: 'https://shop.example/i.gif', mode: 'no-cors', credentials: 'include', toolId: 'img', eventId: 'ev1' }),
    ])
    expect(transport.requests[0].kind).toBeUndefined()
  })
})

describe('built-in tool modules', () => {
  test('both declare the permission they need and subscribe to pageview, event and ecommerce', () => {
    for (const module of [httpRequestModule, customImageModule]) expect(module.permissions).toEqual(['client_network_requests'])
    for (const component of [httpRequest, customImage]) {
      const { _manager: manager, _listeners: listeners } = createManager({ _name: 'x', _can: () => true, _purpose: undefined, _consent: () => true, _transport: createRecordingTransport(), _note: () => undefined, _toolId: 'x', _random: Math.random, _dom: () => undefined, _widget: () => true })
      component(manager, {})
      expect([...listeners.keys()].sort()).toEqual(['ecommerce', 'event', 'pageview'])
    }
  })
})
