/**
 * Mixpanel's exact requests, with a fixed clock (1,700,000,000,000 ms), a fixed random source
 * (0.5, so every random hex digit is 8) and Chrome on Windows as the user agent. Expected values
 * are written out from the official component's documented facts (its README: action types,
 * fields; its endpoints and event properties) and Mixpanel's ingestion API (`data`, `ip=1`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { setup } from './helpers'
import { freshPageEachTest, headersOf } from './run-built-in'

const T = 1_700_000_000_000
const ID = '88888888-8888-4888-8888-888888888888'
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
const KV = 'tagrelay_kv_mp:tok123'

beforeAll(() => Object.defineProperty(navigator, 'userAgent', { value: CHROME, configurable: true }))
afterAll(() => Reflect.deleteProperty(navigator, 'userAgent'))

freshPageEachTest('Shop')

/** The `data` form field, parsed. */
const data = (r: RecordedRequest) => JSON.parse(new URLSearchParams(r.body).get('data')!)
const on = (name: string) => ({ name, loadRules: [{ id: name, match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: name }], excludeRules: [] })

function run(actions: Record<string, unknown>, extra: Record<string, unknown> = {}, zarazExtra: Record<string, unknown> = {}) {
  return setup(
    {
      tools: { mp: { type: 'component', component: 'mixpanel', settings: { token: 'tok123' }, permissions: ['access_client_kv', 'server_network_requests'], actions, ...extra } },
      ...zarazExtra,
    },
    { env: { random: () => 0.5 } },
  )
}

const TRACK = { t: { actionType: 'track', firingTriggers: ['AllTracks'], data: { event: '{{ client.__zarazTrack }}', plan: '{{ client.plan }}' } } }

/** The properties a first-time visitor's events carry, in the official component's order. */
const PROPERTIES = () => ({
  token: 'tok123',
  $device_id: ID,
  distinct_id: ID,
  time: T,
  $insert_id: ID,
  $referrer: '$direct',
  $referring_domain: '$direct',
  $current_url: location.href,
  $current_domain: location.hostname,
  $current_page_title: 'Shop',
  $current_url_path: location.pathname,
  $current_url_search: location.search,
  $current_url_protocol: location.protocol,
  $screen_height: 768,
  $screen_width: 1024,
  $browser: 'Chrome',
  $browser_version: '120.0.0.0',
  $os: 'Windows',
  $gclid: null,
  $fbclid: null,
})

describe('Mixpanel', () => {
  test('a track action is a form POST of data=[event] to /track with ip=1, the fields and the visitor properties', async () => {
    const { zaraz, transport } = run(TRACK)
    await zaraz.track('Signup', { plan: 'pro' })
    const [r] = transport.requests
    expect([r.method, r.url, headersOf(r), r.mode]).toEqual(['POST', 'https://api.mixpanel.com/track?verbose=1&ip=1', { 'content-type': 'application/x-www-form-urlencoded' }, 'no-cors'])
    expect([...new URLSearchParams(r.body)].map(([k]) => k)).toEqual(['data'])
    expect(data(r)).toEqual([{ event: 'Signup', properties: { plan: 'pro', ...PROPERTIES() } }])
    expect(Object.keys(data(r)[0].properties)).toEqual(['plan', ...Object.keys(PROPERTIES())])
    const kept = JSON.parse(decodeURIComponent(JSON.parse(localStorage.getItem(KV)!).v))
    expect(kept).toEqual({ distinct_id: ID, $device_id: ID, $initial_referrer: '$direct', $initial_referring_domain: '$direct' })
  })

  test('the ids are kept for the next page; click ids from the URL are sent; EU residency', async () => {
    const a = run(TRACK)
    await a.zaraz.track('Signup')
    localStorage.setItem(KV, JSON.stringify({ v: encodeURIComponent(JSON.stringify({ distinct_id: 'd-1', $device_id: 'dev-1' })), e: 0 }))
    history.replaceState({}, '', '/landing?gclid=G-1&fbclid=F-1')
    const b = run(TRACK, { settings: { token: 'tok123', isEU: true } })
    await b.zaraz.track('Signup')
    const [r] = b.transport.requests
    expect(r.url).toBe('https://api-eu.mixpanel.com/track?verbose=1&ip=1')
    const props = data(r)[0].properties
    expect([props.distinct_id, props.$device_id, props.$gclid, props.$fbclid]).toEqual(['d-1', 'dev-1', 'G-1', 'F-1'])
  })

  test('identify sends $identify with the anonymous id, and the identified id becomes the distinct id from then on', async () => {
    const { zaraz, transport } = run(
      { ...TRACK, i: { actionType: 'identify', firingTriggers: ['login'], data: { $identified_id: '{{ client.user }}' } } },
      {},
      { triggers: { login: on('login') } },
    )
    await zaraz.track('login', { user: 'u-9' })
    const identify = transport.requests.find((r) => !r.url.includes('verbose'))!
    expect(identify.url).toBe('https://api.mixpanel.com/track?ip=1')
    expect(data(identify)).toEqual({ event: '$identify', properties: { ...PROPERTIES(), distinct_id: 'u-9', $identified_id: 'u-9', $anon_id: ID } })
    await zaraz.track('Signup')
    expect(data(transport.requests.at(-1)!)[0].properties.distinct_id).toBe('u-9')
  })

  test('create_alias sends $create_alias with the alias', async () => {
    const { zaraz, transport } = run({ a: { actionType: 'create_alias', firingTriggers: ['AllTracks'], data: { alias: 'a-1' } } })
    await zaraz.track('merge')
    const [r] = transport.requests
    expect(r.url).toBe('https://api.mixpanel.com/track?ip=1')
    expect(data(r)).toEqual({ event: '$create_alias', properties: { ...PROPERTIES(), alias: 'a-1' } })
  })

  test('profile updates go to /engage with the operation of their action; a union takes comma-separated lists', async () => {
    const { zaraz, transport } = run({
      s: { actionType: 'set_user_property', firingTriggers: ['AllTracks'], data: { 'user-set-action': 'profile-set', plan: 'pro' } },
      u: { actionType: 'set_group_property', firingTriggers: ['AllTracks'], data: { 'group-set-action': 'group-union', $group_key: 'company', $group_id: 'acme', tags: 'a, b,,c' } },
      x: { actionType: 'unset_user_property', firingTriggers: ['AllTracks'], data: { unsetList: 'plan, seats' } },
      d: { actionType: 'delete_user_profile', firingTriggers: ['AllTracks'], data: { $ignore_alias: true } },
    })
    await zaraz.track('profile')
    const [set, union, unset, del] = transport.requests
    for (const r of [set, union, unset, del]) expect([r.url, r.mode]).toEqual(['https://api.mixpanel.com/engage', 'no-cors'])
    expect(data(set)).toEqual([{ $token: 'tok123', $distinct_id: ID, $set: { plan: 'pro' } }])
    expect(data(union)).toEqual([{ $token: 'tok123', $distinct_id: ID, $group_key: 'company', $group_id: 'acme', $union: { tags: ['a', 'b', 'c'] } }])
    expect(data(unset)).toEqual([{ $token: 'tok123', $distinct_id: ID, $unset: ['plan', 'seats'] }])
    expect(data(del)).toEqual([{ $token: 'tok123', $distinct_id: ID, $delete: null, $ignore_alias: true }])
  })

  test('without consent for its purpose no id is stored and nothing is sent', async () => {
    const { zaraz, transport } = run(TRACK, { defaultPurpose: 'an' }, { consent: { enabled: true, purposes: { an: { name: 'Analytics', description: 'stats' } } } })
    zaraz.consent.set({ an: false })
    await zaraz.track('Signup')
    expect(transport.requests).toEqual([])
    expect(localStorage.getItem(KV)).toBeNull()
  })
})
