/**
 * Segment's exact requests, with a fixed clock and a fixed random source (0.5, so every random
 * hex digit is 8). Expected values are written out from the official component's documented
 * facts (endpoint per call type, body fields) and Segment's HTTP API (write key in the body).
 */
import { describe, expect, test } from 'vitest'
import { setup } from './helpers'
import { freshPageEachTest, headersOf } from './run-built-in'

const ANON = '88888888-8888-4888-8888-888888888888'
const KV = (key: string) => `tagrelay_kv_sg:${key}`

freshPageEachTest('Shop')

const ENTRY = {
  type: 'component',
  component: 'segment',
  settings: { writeKey: 'wk_123' },
  permissions: ['access_client_kv', 'server_network_requests'],
}

function run(actions: Record<string, unknown>, extra: Record<string, unknown> = {}, zarazExtra: Record<string, unknown> = {}) {
  return setup({ tools: { sg: { ...ENTRY, actions, ...extra } }, ...zarazExtra }, { env: { random: () => 0.5 } })
}

const PAGE = () => ({ url: location.href, title: 'Shop', referrer: '', path: location.pathname, search: '' })
const CONTEXT = () => ({
  locale: 'en-US',
  page: PAGE(),
  screen: { width: 1024, height: 768 },
  // happy-dom's user agent says `X11; Linux`: ua-parser-js names that system Linux.
  os: { name: 'Linux' },
  userAgent: navigator.userAgent,
})

describe('Segment', () => {
  test('a pageview is a page call: text/plain JSON POST to /v1/page with the page as properties and a new anonymous id', async () => {
    const { zaraz, transport } = run({ p: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { name: 'Home' } } })
    await zaraz.track('Pageview')
    const [r] = transport.requests
    expect([r.method, r.url, headersOf(r), r.mode, r.credentials]).toEqual(['POST', 'https://api.segment.io/v1/page', { 'content-type': 'text/plain' }, undefined, undefined])
    expect(JSON.parse(r.body!)).toEqual({
      callType: 'page',
      anonymousId: ANON,
      context: CONTEXT(),
      properties: { name: 'Home', ...PAGE() },
      writeKey: 'wk_123',
    })
    expect(Object.keys(JSON.parse(r.body!))).toEqual(['callType', 'anonymousId', 'context', 'properties', 'writeKey'])
    expect(localStorage.getItem(KV('ajs_anonymous_id'))).toContain(ANON)
  })

  test('a track call carries its event name first and its fields as properties; the next page keeps the anonymous id', async () => {
    const first = run({ p: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} } })
    await first.zaraz.track('Pageview')
    localStorage.setItem(KV('ajs_anonymous_id'), JSON.stringify({ v: 'anon-kept', e: 0 }))
    const { zaraz, transport } = run({ t: { actionType: 'track', firingTriggers: ['AllTracks'], data: { event: '{{ client.__zarazTrack }}', plan: '{{ client.plan }}' } } })
    await zaraz.track('Signup', { plan: 'pro' })
    const [r] = transport.requests
    expect(r.url).toBe('https://api.segment.io/v1/track')
    const body = JSON.parse(r.body!)
    expect(body).toEqual({
      event: 'Signup',
      callType: 'track',
      anonymousId: 'anon-kept',
      context: CONTEXT(),
      properties: { event: 'Signup', plan: 'pro' },
      writeKey: 'wk_123',
    })
    expect(Object.keys(body)[0]).toBe('event')
  })

  test('identify and group calls send their fields as traits; a user id needs no anonymous id', async () => {
    const { zaraz, transport } = run({
      i: { actionType: 'identify', firingTriggers: ['AllTracks'], data: { userId: '{{ client.user }}', email: '{{ client.email }}' } },
      g: { actionType: 'group', firingTriggers: ['AllTracks'], data: { userId: '{{ client.user }}', groupId: 'g-1' } },
    })
    await zaraz.track('login', { user: 'u-1', email: 'a@b.example' })
    const [identify, group] = transport.requests
    expect(identify.url).toBe('https://api.segment.io/v1/identify')
    expect(JSON.parse(identify.body!)).toEqual({ callType: 'identify', userId: 'u-1', context: CONTEXT(), traits: { userId: 'u-1', email: 'a@b.example' }, writeKey: 'wk_123' })
    expect(group.url).toBe('https://api.segment.io/v1/group')
    expect(JSON.parse(group.body!).traits).toEqual({ userId: 'u-1', groupId: 'g-1' })
    expect(localStorage.getItem(KV('ajs_anonymous_id'))).toBeNull()
  })

  test('an alias call, to the hostname setting', async () => {
    const { zaraz, transport } = run(
      { a: { actionType: 'alias', firingTriggers: ['AllTracks'], data: { userId: 'u-2', previousId: 'u-1' } } },
      { settings: { writeKey: 'wk_123', hostname: 'events.eu1.segmentapis.com' } },
    )
    await zaraz.track('merge')
    const [r] = transport.requests
    expect(r.url).toBe('https://events.eu1.segmentapis.com/v1/alias')
    expect(JSON.parse(r.body!).properties).toEqual({ userId: 'u-2', previousId: 'u-1' })
  })

  test('without consent for its purpose no anonymous id is stored and nothing is sent', async () => {
    const { zaraz, transport } = run(
      { p: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} } },
      { defaultPurpose: 'an' },
      { consent: { enabled: true, purposes: { an: { name: 'Analytics', description: 'stats' } } } },
    )
    zaraz.consent.set({ an: false })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(localStorage.getItem(KV('ajs_anonymous_id'))).toBeNull()
  })
})
