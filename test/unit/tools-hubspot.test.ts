/**
 * HubSpot's exact requests, with a fixed clock (1,700,000,000,000 ms) and a fixed random source
 * (0.5, so every random hex digit is 8). Expected values are written out from the official
 * component's documented facts (its README and tests): parameters, cookie names and formats.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { resetPage, setup } from './helpers'
import { base } from './run-built-in'

const T = 1_700_000_000_000
/** HubSpot's hash of the domain name `shop.example` (the first part of `__hstc` / `__hssc`). */
const DOMAIN = 244491079
/** A dashless UUID made of the random source 0.5. */
const VISITOR = '88888888888848888888888888888888'
const KV = (key: string) => `tagrelay_kv_hs:${key}`

let start: string
beforeEach(() => {
  resetPage()
  start = location.href
  document.title = 'Shop'
})
afterEach(() => {
  history.replaceState({}, '', start)
  document.getElementById('hubspot-messages-loader')?.remove()
})

const query = (r: RecordedRequest) => [...new URL(r.url).searchParams]

const ENTRY = {
  type: 'component',
  component: 'hubspot',
  settings: { accountId: '12345', regionPrefix: 'eu1', domainName: 'shop.example' },
  permissions: ['access_client_kv', 'client_network_requests', 'server_network_requests'],
}

function run(actions: Record<string, unknown>, extra: Record<string, unknown> = {}, zarazExtra: Record<string, unknown> = {}) {
  return setup({ tools: { hs: { ...ENTRY, actions, ...extra } }, ...zarazExtra }, { env: { random: () => 0.5 } })
}

const PAGEVIEW = { p: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} } }
const EVENT = {
  e: {
    actionType: 'event',
    firingTriggers: ['AllTracks'],
    data: { n: 'pe12345_signup', property_name: 'plan', property_value: '{{ client.plan }}', identifyEmail: '{{ client.email }}', cs: 'UTF-8' },
  },
}

describe('HubSpot', () => {
  test('a pageview is a no-cors image request to __ptq.gif with the visitor id and new session values', async () => {
    const { zaraz, transport } = run(PAGEVIEW)
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method, base(r), r.mode, r.credentials]).toEqual([undefined, 'https://track-eu1.hubspot.com/__ptq.gif', 'no-cors', 'include'])
    expect(query(r)).toEqual([
      ['k', '1'],
      ['v', '1.1'],
      ['a', '12345'],
      ['pu', location.href],
      ['t', 'Shop'],
      ['cts', String(T)],
      ['sd', '1024x768'],
      ['ln', 'en-US'],
      ['vi', VISITOR],
      ['nc', 'true'],
      ['u', `${DOMAIN}.${VISITOR}.${T}.${T}.${T}.1`],
      ['b', `${DOMAIN}.1.${T}`],
    ])
    expect(localStorage.getItem(KV('hubspotutk'))).toContain(VISITOR)
    expect(sessionStorage.getItem(KV('hssrc'))).toContain('"1"')
  })

  test('an event is k=3 with its name n, its property as _<name>, the identity as i, other fields under their names', async () => {
    const { zaraz, transport } = run(EVENT)
    await zaraz.track('Signup', { plan: 'pro', email: 'a@b.example' })
    const [r] = transport.requests
    expect(query(r)).toEqual([
      ['k', '3'],
      ['v', '1.1'],
      ['a', '12345'],
      ['pu', location.href],
      ['t', 'Shop'],
      ['cts', String(T)],
      ['_plan', 'pro'],
      ['n', 'pe12345_signup'],
      ['i', 'email=a%40b.example'],
      ['sd', '1024x768'],
      ['ln', 'en-US'],
      ['cs', 'UTF-8'],
      ['vi', VISITOR],
      ['nc', 'true'],
      ['u', `${DOMAIN}.${VISITOR}.${T}.${T}.${T}.1`],
      ['b', `${DOMAIN}.1.${T}`],
    ])
  })

  test('the next page view keeps the visitor (nc=false) and counts the hit in hssc; a new session moves the session start in hstc', async () => {
    const a = run(PAGEVIEW)
    await a.zaraz.track('Pageview')
    const b = run(PAGEVIEW)
    b.clock.advance(60_000)
    await b.zaraz.track('Pageview')
    const same = Object.fromEntries(query(b.transport.requests[0]))
    expect([same.vi, same.nc, same.u, same.b]).toEqual([VISITOR, 'false', `${DOMAIN}.${VISITOR}.${T}.${T}.${T}.1`, `${DOMAIN}.2.${T}`])
    // A new browser session: hssrc is gone, so hstc's previous session start becomes the last one.
    sessionStorage.clear()
    const c = run(PAGEVIEW)
    c.clock.advance(3_600_000)
    await c.zaraz.track('Pageview')
    const next = Object.fromEntries(query(c.transport.requests[0]))
    expect([next.vi, next.nc, next.u, next.b]).toEqual([VISITOR, 'false', `${DOMAIN}.${VISITOR}.${T}.${T}.${T + 3_600_000}.1`, `${DOMAIN}.3.${T}`])
  })

  test('the referrer is r', async () => {
    Object.defineProperty(document, 'referrer', { value: 'https://search.example/q', configurable: true })
    try {
      const { zaraz, transport } = run(PAGEVIEW)
      await zaraz.track('Pageview')
      expect(Object.fromEntries(query(transport.requests[0])).r).toBe('https://search.example/q')
    } finally {
      Object.defineProperty(document, 'referrer', { value: '', configurable: true })
    }
  })

  test('without consent for its purpose no id is stored and nothing is sent', async () => {
    const { zaraz, transport } = run(PAGEVIEW, { defaultPurpose: 'mkt' }, { consent: { enabled: true, purposes: { mkt: { name: 'Marketing', description: 'ads' } } } })
    zaraz.consent.set({ mkt: false })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
    expect(localStorage.getItem(KV('hubspotutk'))).toBeNull()
    expect(sessionStorage.getItem(KV('hssrc'))).toBeNull()
  })

  test('a collected form is a JSON POST to the collected-forms endpoint with the form, its values and the visitor', async () => {
    const first = run(PAGEVIEW)
    await first.zaraz.track('Pageview')
    const { zaraz, transport } = run({
      f: {
        actionType: 'collected-forms',
        firingTriggers: ['AllTracks'],
        data: { formId: ' #signup ', formClass: 'wide  dark', email: '{{ client.email }}', firstName: 'Ada', plan: '{{ client.plan }}' },
      },
    })
    await zaraz.track('Signup', { email: 'a@b.example', plan: 'pro' })
    const [r] = transport.requests
    expect([r.method, r.url, r.headers?.['content-type'] ?? r.headers?.['Content-Type'], r.mode]).toEqual([
      'POST',
      'https://forms-eu1.hubspot.com/collected-forms/submit/form',
      'application/json',
      undefined,
    ])
    expect(r.json).toEqual({
      contactFields: { email: 'a@b.example', firstName: 'Ada' },
      formSelectorClasses: '.wide, .dark',
      collectedFormClasses: 'wide  dark',
      formSelectorId: '#signup',
      collectedFormId: 'signup',
      formValues: { formId: ' #signup ', formClass: 'wide  dark', plan: 'pro' },
      pageTitle: 'Shop',
      pageUrl: location.href,
      portalId: '12345',
      type: 'SCRAPED',
      utk: VISITOR,
      uuid: '88888888-8888-4888-8888-888888888888',
      version: 'collected-forms-embed-js-static-1.312',
    })
  })

  test('a form action submits to the Forms API with the visitor as hutk, under the exported server permission alone', async () => {
    // A visitor id kept by an earlier page (the tagrelay_st cookie says tagrelay's storage is in use).
    localStorage.setItem(KV('hubspotutk'), JSON.stringify({ v: 'abc', e: 0 }))
    document.cookie = 'tagrelay_st=1; path=/'
    const { zaraz, transport } = run(
      { f: { actionType: 'form', firingTriggers: ['AllTracks'], data: { formId: 'f-1', email: '{{ client.email }}', firstname: 'Ada' } } },
      { permissions: ['access_client_kv', 'server_network_requests'] },
    )
    await zaraz.track('Signup', { email: 'a@b.example' })
    const [r] = transport.requests
    expect([r.method, r.url]).toEqual(['POST', 'https://api.hsforms.com/submissions/v3/integration/submit/12345/f-1'])
    expect(r.json).toEqual({
      fields: [
        { name: 'email', value: 'a@b.example' },
        { name: 'firstname', value: 'Ada' },
      ],
      context: { pageUri: location.href, pageName: 'Shop', hutk: 'abc' },
    })
  })

  test('a chat action loads HubSpot chat script once, with the page nonce, only with execute_unsafe_scripts', async () => {
    const chat = { c: { actionType: 'chat', firingTriggers: ['Pageview'], data: {} } }
    const denied = run(chat)
    await denied.zaraz.track('Pageview')
    expect(document.getElementById('hubspot-messages-loader')).toBeNull()
    const { zaraz } = setup({ tools: { hs: { ...ENTRY, actions: chat, permissions: ['execute_unsafe_scripts'] } } }, { nonce: 'n0nce', env: { random: () => 0.5 } })
    await zaraz.track('Pageview')
    await zaraz.track('Pageview')
    const scripts = document.querySelectorAll('#hubspot-messages-loader')
    expect(scripts).toHaveLength(1)
    const s = scripts[0] as HTMLScriptElement
    expect([s.src, s.nonce, s.dataset.loader, s.dataset.hsjsPortal, s.dataset.hsjsEnv, s.dataset.hsjsHublet]).toEqual([
      'https://js-eu1.usemessages.com/conversations-embed.js',
      'n0nce',
      'hs-scriptloader',
      '12345',
      'prod',
      'eu1',
    ])
  })
})
