import { beforeEach, describe, expect, test } from 'vitest'
import { createTestZaraz, createRecordingTransport } from '../../src/testing/index'
import { httpTool, resetPage } from './helpers'

beforeEach(resetPage)

describe('tagrelay/testing', () => {
  test('settle() sends nothing of its own to a tool on a trigger that does not look at the event name', async () => {
    // A common Zaraz trigger: a URL rule only. It fires on every track, so the settle probe must not go through tools.
    const config = {
      triggers: { anyPage: { loadRules: [{ match: '{{ system.page.url.pathname }}', op: 'STARTS_WITH', value: '/' }] } },
      tools: {
        collector: {
          type: 'component',
          component: 'http-request',
          settings: {},
          actions: { a: { actionType: 'event', firingTriggers: ['anyPage'], data: { __setting_endpoint: 'https://collect.example/c', __setting_method: 'get', e: '{{ client.__zarazTrack }}' } } },
        },
      },
    }
    const t = createTestZaraz({ config })
    await t.zaraz.track('buy')
    await t.settle()
    expect(t.requests.map((r) => r.url)).toEqual(['https://collect.example/c?e=buy'])
    expect(t.records.map((r) => r.name)).toEqual(['buy'])
  })

  test('navigate() with historyChange: true resolves, and the navigation is one pageview for the new URL', async () => {
    history.replaceState({}, '', '/start')
    const config = { historyChange: true, tools: { collector: httpTool() } }
    const t = createTestZaraz({ config })
    // (It used to wait for the fake clock: the runtime sends the pageview once the router's task is over.)
    let resolved = false
    const nav = t.navigate('/next').then(() => (resolved = true))
    for (let i = 0; i < 20 && !resolved; i++) await new Promise((r) => setTimeout(r, 5))
    expect(resolved).toBe(true)
    await nav
    await t.settle()
    expect(t.requests.map((r) => (r.json as Record<string, unknown>).event)).toEqual(['Pageview'])
    expect(t.records.map((r) => r.name)).toEqual(['Pageview'])
    expect(config).toEqual({ historyChange: true, tools: { collector: httpTool() } })
  })

  test('navigate() without historyChange sends the SPA pageview itself', async () => {
    const t = createTestZaraz({ config: { tools: { collector: httpTool() } } })
    await t.navigate('/other')
    await t.settle()
    expect(t.requests.map((r) => (r.json as Record<string, unknown>).event)).toEqual(['Pageview'])
  })

  test('the recording transport keeps a URLSearchParams body', async () => {
    const rt = createRecordingTransport()
    await rt.fetch('https://collect.example/f', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) })
    expect(rt.requests[0].body).toBe('a=1&b=x+y')
    expect(rt.requests[0].json).toEqual({ a: '1', b: 'x y' })
  })
})

describe('the recording transport', () => {
  test('reads a Blob body and a Request body, and keeps an explicit content type', async () => {
    const rt = createRecordingTransport()
    await rt.fetch('https://collect.example/b', { method: 'POST', body: new Blob(['{"a":1}'], { type: 'application/json' }) })
    await rt.fetch(new Request('https://collect.example/r', { method: 'POST', body: 'x=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }))
    await rt.fetch('https://collect.example/s', { method: 'POST', body: new URLSearchParams({ a: '1' }), headers: { 'content-type': 'text/plain' } })
    // (Header names: happy-dom's Headers keeps their case.)
    const type = (h: Record<string, string> = {}) => Object.entries(h).find(([k]) => k.toLowerCase() == 'content-type')?.[1]
    expect(rt.requests.map((r) => [r.body, r.json, type(r.headers)])).toEqual([
      ['{"a":1}', { a: 1 }, 'application/json'],
      ['x=1', { x: '1' }, 'application/x-www-form-urlencoded'],
      ['a=1', undefined, 'text/plain'],
    ])
  })
})
