import { beforeEach, describe, expect, test, vi } from 'vitest'
import UAParser from 'ua-parser-js'
import { createRuntime } from '../../src/runtime'
import { browserEnv } from '../../src/platform/env'
import { parseUserAgent, type UAParserFn } from '../../src/context/user-agent'
import { createRecordingTransport } from '../../src/testing/index'
import { recordingConsole, resetPage } from './helpers'
import httpRequest from '../../src/tools/http-request'

beforeEach(resetPage)

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'

function run(config: Record<string, unknown>, loadUserAgentParser = vi.fn(() => Promise.resolve(UAParser as unknown as UAParserFn))) {
  const transport = createRecordingTransport()
  const zaraz = createRuntime({
    config,
    env: browserEnv({ console: recordingConsole().log }),
    tools: { 'http-request': httpRequest },
    transport,
    load: (name: string) => (name == 'ua' ? loadUserAgentParser() : Promise.reject(new Error(name))),
    pageview: false,
  })
  return { zaraz, transport, loadUserAgentParser }
}

const tool = (defaultFields: Record<string, unknown>, settings: Record<string, unknown> = {}) => ({
  settings,
  tools: {
    c: {
      component: 'http-request',
      automatedActions: { pageview: true, track: true },
      defaultFields: { __setting_endpoint: 'https://c.example/', __setting_method: 'post-json', ...defaultFields },
    },
  },
})

describe('system properties', () => {
  test('page, device, cookies and misc are what the browser knows', async () => {
    history.replaceState({}, '', '/shop/item?sku=42&utm_source=news#top')
    document.title = 'Item 42'
    document.cookie = 'session_id=abc%20def'
    const { zaraz, transport } = run(tool({ __includeSystemProperties: true }))
    await zaraz.track('view')
    const { system } = transport.requests[0].json as { system: Record<string, any> }
    expect(system.page.url).toMatchObject({ pathname: '/shop/item', search: '?sku=42&utm_source=news', hash: '#top', protocol: location.protocol, hostname: location.hostname })
    expect(system.page.url.href).toBe(location.href)
    expect(system.page.title).toBe('Item 42')
    expect(system.page.query).toEqual({ sku: '42', utm_source: 'news' })
    expect(system.page.encoding).toMatch(/utf-8/i)
    expect(system.cookies.session_id).toBe('abc def')
    expect(system.device.resolution).toMatch(/^\d+x\d+$/)
    expect(system.device.viewport).toBe(`${innerWidth}x${innerHeight}`)
    expect(system.device.language).toBe(navigator.language)
    expect(system.device.ip).toBe('')
    expect(system.device['user-agent'].ua).toBe(navigator.userAgent)
    expect(typeof system.misc.random).toBe('number')
    expect(system.misc.timestamp).toBe(Math.floor(system.misc.timestampMilliseconds / 1000))
  })

  test('templates read system properties', async () => {
    history.replaceState({}, '', '/docs/page')
    const { zaraz, transport } = run(tool({ path: '{{ system.page.url.pathname }}', lang: '{{ system.device.language }}' }))
    await zaraz.track('x')
    expect(transport.requests[0].json).toEqual({ path: '/docs/page', lang: navigator.language })
  })

  test('string variables resolve, their own templates first', async () => {
    const { zaraz, transport } = run({
      ...tool({ f: '{{ variables.v }}' }),
      variables: { v: { name: 'V', type: 'string', value: 'plan-{{ client.plan }}' } },
    })
    await zaraz.track('x', { plan: 'pro' })
    expect(transport.requests[0].json).toEqual({ f: 'plan-pro', plan: 'pro' })
  })

  test('hideQueryParams removes the query from the URL, the query object and the referrer', async () => {
    history.replaceState({}, '', '/a?email=x@y.z')
    const { zaraz, transport } = run(tool({ __includeSystemProperties: true }, { hideQueryParams: true }))
    await zaraz.track('x')
    const { system } = transport.requests[0].json as { system: Record<string, any> }
    expect(system.page.url.search).toBe('')
    expect(system.page.url.href).not.toContain('email')
    expect(system.page.query).toEqual({})
  })

  test('hideUserAgent empties every user-agent field and never loads the parser', async () => {
    const { zaraz, transport, loadUserAgentParser } = run(tool({ __includeSystemProperties: true }, { hideUserAgent: true }))
    await zaraz.track('x')
    const { system } = transport.requests[0].json as { system: Record<string, any> }
    expect(system.device['user-agent']).toEqual({ ua: '', browser: { name: '', version: '' }, engine: { name: '', version: '' }, os: { name: '', version: '' }, device: '', cpu: '' })
    expect(loadUserAgentParser).not.toHaveBeenCalled()
  })

  test('the user-agent parser is loaded only when the config can read it', async () => {
    const a = run(tool({ x: '{{ client.x }}' }))
    await a.zaraz.track('x')
    expect(a.loadUserAgentParser).not.toHaveBeenCalled()
    const b = run(tool({ b: '{{ system.device.user-agent.browser.name }}' }))
    await b.zaraz.track('x')
    expect(b.loadUserAgentParser).toHaveBeenCalledTimes(1)
  })

  test('a parser that fails to load leaves the fields empty and events still flow', async () => {
    const { zaraz, transport } = run(tool({ b: '{{ system.device.user-agent.browser.name }}' }), vi.fn(() => Promise.reject(new Error('blocked'))))
    await zaraz.track('x')
    expect(transport.requests[0].json).toEqual({ b: '' })
  })
})

describe('user-agent parsing (ua-parser-js 1.x)', () => {
  test('fills browser, engine, os and cpu', () => {
    const ua = parseUserAgent(CHROME, UAParser as unknown as UAParserFn)
    expect(ua).toEqual({
      ua: CHROME,
      browser: { name: 'Chrome', version: '120.0.0.0' },
      engine: { name: 'Blink', version: '120.0.0.0' },
      os: { name: 'Linux', version: '' },
      device: '',
      cpu: 'amd64',
    })
  })
})

describe('hideExternalReferer', () => {
  test('drops a referrer from another site and keeps one from the same site', async () => {
    const { privateUrls } = await import('../../src/context/privacy')
    const privacy = { hideQueryParams: false, hideExternalReferer: true, hideUserAgent: false }
    expect(privateUrls('https://shop.example/a', 'https://search.example/?q=x', privacy).referrer).toBe('')
    expect(privateUrls('https://shop.example/a', 'https://shop.example/b', privacy).referrer).toBe('https://shop.example/b')
  })
})

describe('tool settings', () => {
  test('templates in settings are resolved once, when the tool starts', async () => {
    const got: Array<Record<string, unknown>> = []
    const transport = createRecordingTransport()
    history.replaceState({}, '', '/start')
    const zaraz = createRuntime({
      config: {
        variables: { mid: { name: 'Measurement id', type: 'string', value: 'G-ABC' } },
        tools: { t: { component: 'probe', settings: { tid: '{{ variables.mid }}', path: '{{ system.page.url.pathname }}', plain: 'x' }, automatedActions: { track: true } } },
      },
      env: browserEnv({ console: recordingConsole().log }),
      tools: { probe: (_m, settings) => void got.push(settings) },
      transport,
      pageview: false,
    })
    await zaraz.track('x')
    expect(got).toEqual([{ tid: 'G-ABC', path: '/start', plain: 'x' }])
  })
})

describe('a lazily loaded file that arrives but cannot be used (another version of it, cached)', () => {
  test('is a console warning, not an unhandled rejection, and events still flow', async () => {
    const con = recordingConsole()
    const transport = createRecordingTransport()
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const zaraz = createRuntime({
      config: {
        triggers: { t: { loadRules: [{ action: 'clickListener', settings: { selector: '.buy', type: 'css' } }] } },
        ...tool({}),
      },
      env: browserEnv({ console: con.log }),
      tools: { 'http-request': httpRequest },
      transport,
      load: () => Promise.resolve({}), // a page-rules file without startPageRules
      pageview: false,
    })
    await zaraz.track('x')
    await new Promise((r) => setTimeout(r, 0))
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
    expect(con.lines.some((l) => l.level == 'warn' && l.args.join(' ').includes('could not load the page rules'))).toBe(true)
    expect(transport.requests).toHaveLength(1)
  })
})
