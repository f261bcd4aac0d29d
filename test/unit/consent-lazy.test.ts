// Consent at start-up: a page without consent pays (almost) nothing, and the bridges to existing
// CMPs (the consent-cmp chunk) load only when needed, with every delivery waiting, in order, meanwhile.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { httpTool, resetPage, recordingConsole, setupWithLoad } from './helpers'
import { createRuntime } from '../../src/runtime'
import { browserEnv } from '../../src/platform/env'
import { createRecordingTransport, createFakeClock } from '../../src/testing/index'
import type { TCData } from '../../src/consent/tcf'
import type { ToolDelivery } from '../../src/tools/host/host'
import { createConsent } from '../../src/consent/index'
import { readConsentSettings } from '../../src/consent/settings'
import { readChoices } from '../../src/consent/cookie'

beforeEach(() => {
  resetPage()
  document.body.innerHTML = ''
})
afterEach(() => {
  vi.restoreAllMocks()
  delete (window as { __tcfapi?: unknown }).__tcfapi
})

const tick = () => new Promise((r) => setTimeout(r, 0))
const sentBy = (t: { requests: Array<{ json?: unknown }> }) => t.requests.map((r) => r.json as { tool: string; event: string }).map((j) => `${j.tool}:${j.event}`)
/** What each tool was sent, in order (the order across tools depends on when each component starts). */
const perTool = (t: { requests: Array<{ json?: unknown }> }) => {
  const out: Record<string, string[]> = {}
  for (const r of t.requests) {
    const j = r.json as { tool: string; event: string }
    ;(out[j.tool] ||= []).push(j.event)
  }
  return out
}
const tool = (id: string, purpose?: string) => httpTool({ defaultPurpose: purpose, defaultFields: { ...httpTool().defaultFields, tool: id } })
const PURPOSES = { ads: { name: 'Advertising', description: 'Ads' }, stats: { name: 'Analytics', description: 'Visits', order: 1 } }
const config = (consent: Record<string, unknown>) => ({
  consent: { enabled: true, hideModal: true, purposes: PURPOSES, ...consent },
  tools: { ads: tool('ads', 'ads'), stats: tool('stats', 'stats'), plain: tool('plain') },
})

/** A chunk loader whose consent-cmp chunk arrives when the test says so (or fails). */
function loader() {
  const loads: string[] = []
  let arrive: () => void = () => undefined
  let fail: () => void = () => undefined
  const cmp = new Promise<unknown>((resolve, reject) => {
    arrive = () => resolve(import('../../src/consent/cmp'))
    fail = () => reject(new Error('offline'))
  })
  const load = (name: string) => {
    loads.push(name)
    if (name == 'consent-cmp') return cmp
    if (name == 'http-request') return import('../../src/tools/http-request')
    return new Promise(() => undefined)
  }
  return { loads, load, arrive, fail }
}

const start = setupWithLoad

/** Counts reads of `document.cookie` from now on. */
function countCookieReads() {
  let reads = 0
  const proto = Object.getPrototypeOf(document)
  let owner = proto
  while (owner && !Object.getOwnPropertyDescriptor(owner, 'cookie')) owner = Object.getPrototypeOf(owner)
  const d = Object.getOwnPropertyDescriptor(owner, 'cookie')!
  vi.spyOn(owner, 'cookie', 'get').mockImplementation(function (this: Document) {
    reads++
    return d.get!.call(this)
  })
  return () => reads
}

describe('a page without consent enabled', () => {
  test('does not look for a TCF CMP at start; the gate is open; the API answers when called', async () => {
    let tcfReads = 0
    Object.defineProperty(window, '__tcfapi', {
      configurable: true,
      get: () => (tcfReads++, () => undefined),
    })
    const l = loader()
    const { zaraz, transport } = start({ consent: { enabled: false, purposes: PURPOSES }, tools: { ads: tool('ads', 'ads'), plain: tool('plain') } }, l.load)
    await tick()
    await zaraz.track('Pageview')
    expect(tcfReads).toBe(0)
    expect(l.loads).not.toContain('consent-cmp')
    expect(sentBy(transport).sort()).toEqual(['ads:Pageview', 'plain:Pageview'])
    // The API still answers as before, reading the cookie when called.
    expect(zaraz.consent.APIReady).toBe(true)
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: false })
    zaraz.consent.set({ ads: true })
    expect(zaraz.consent.get('ads')).toBe(true)
  })

  test('reads no cookie and parses no purposes at start, nor when events pass; only when asked', async () => {
    let purposeReads = 0
    const consent = {
      enabled: false,
      get purposes() {
        purposeReads++
        return PURPOSES
      },
    }
    const env = browserEnv({ console: recordingConsole().log })
    const reads = countCookieReads()
    const c = createConsent({ config: { consent, tools: { ads: { component: 'google-analytics-4', defaultPurpose: 'ads' } } }, env, note: () => undefined, stored: {} })
    const d = { tool: { id: 'ads', component: 'google-analytics-4', purpose: 'ads' }, type: 'event', name: 'Pageview', payload: {}, facts: { eventId: '1' } } as unknown as ToolDelivery
    let got = 0
    c.gate.pass(d, () => (got++, Promise.resolve()))
    c.gate.pass(d, () => (got++, Promise.resolve()))
    await tick()
    expect(got).toBe(2)
    expect(reads()).toBe(0)
    expect(purposeReads).toBe(0)
    expect(Object.keys(c.api.consent.purposes)).toEqual(['ads', 'stats'])
    const after = purposeReads
    expect(after).toBeGreaterThan(0)
    expect(readConsentSettings(consent).enabled).toBe(false)
    expect(purposeReads).toBe(after)
  })

  test('still fires zarazConsentAPIReady', async () => {
    let ready = 0
    const count = () => ready++
    document.addEventListener('zarazConsentAPIReady', count)
    try {
      start({ tools: { plain: tool('plain') } }, loader().load)
      await tick()
      expect(ready).toBe(1)
    } finally {
      document.removeEventListener('zarazConsentAPIReady', count)
    }
  })
})

describe('the TCF bridge chunk', () => {
  test('is not loaded without __tcfapi, nor with consent off', async () => {
    const a = loader()
    start(config({}), a.load)
    await tick()
    expect(a.loads).not.toContain('consent-cmp')
    ;(window as { __tcfapi?: unknown }).__tcfapi = () => undefined
    const b = loader()
    start(config({ enabled: false }), b.load)
    await tick()
    expect(b.loads).not.toContain('consent-cmp')
  })

  test('is loaded when __tcfapi exists; nothing is sent before the CMP decided, then in order', async () => {
    // A choice stored earlier that the CMP now overrides: the pageview must follow the CMP.
    document.cookie = `zaraz-consent=${JSON.stringify({ stats: false })}; path=/`
    ;(window as { __tcfapi?: unknown }).__tcfapi = (cmd: string, _v: number, cb: (d: TCData, ok: boolean) => void) =>
      cmd == 'addEventListener' && cb({ eventStatus: 'tcloaded', gdprApplies: true, purpose: { consents: { 1: true, 8: true, 9: true } } }, true)
    const l = loader()
    const { zaraz, transport } = start(config({ hideModal: false }), l.load)
    expect(l.loads).toEqual(['consent-cmp'])
    const pageview = zaraz.track('Pageview')
    const one = zaraz.track('one')
    await tick()
    await tick()
    // Even the tool without a purpose waits: the order of deliveries is kept.
    expect(transport.requests).toHaveLength(0)
    l.arrive()
    await pageview
    await one
    await tick()
    expect(perTool(transport)).toEqual({ stats: ['Pageview', 'one'], plain: ['Pageview', 'one'] })
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: true })
    // No modal of ours next to a TCF CMP.
    expect(l.loads).toEqual(['consent-cmp'])
  })

  test('a choice made through the Consent API while it loads wins over what the CMP had decided at start (call order)', async () => {
    // A CMP that answers at once (a returning visitor): stats granted, before the page's own call.
    ;(window as { __tcfapi?: unknown }).__tcfapi = (cmd: string, _v: number, cb: (d: TCData, ok: boolean) => void) =>
      cmd == 'addEventListener' && cb({ eventStatus: 'tcloaded', gdprApplies: true, purpose: { consents: { 1: true, 8: true, 9: true } } }, true)
    const l = loader()
    const { zaraz, transport } = start(config({}), l.load)
    zaraz.consent.set({ stats: false })
    const one = zaraz.track('one')
    l.arrive()
    await one
    await tick()
    expect(zaraz.consent.get('stats')).toBe(false)
    expect(sentBy(transport)).toEqual(['plain:one'])
  })

  test('a chunk that cannot load: a warning, and the events go on as the stored choices say', async () => {
    ;(window as { __tcfapi?: unknown }).__tcfapi = () => undefined
    const l = loader()
    const { zaraz, transport, console } = start(config({}), l.load)
    const pageview = zaraz.track('Pageview')
    l.fail()
    await pageview
    await tick()
    expect(sentBy(transport)).toEqual(['plain:Pageview'])
    expect(console.lines.some((x) => String(x.args[1]).includes('could not load the consent bridges'))).toBe(true)
    zaraz.consent.set({ ads: true })
    await tick()
    expect(sentBy(transport)).toEqual(['plain:Pageview', 'ads:Pageview'])
  })
})

describe('the Consent Mode bridge chunk', () => {
  test('is not loaded on a page without Consent Mode keys nor Google tools', async () => {
    const l = loader()
    const { zaraz } = start(config({}), l.load)
    zaraz.set('other', { ad_storage: 'granted' })
    await zaraz.track('a')
    expect(l.loads).not.toContain('consent-cmp')
  })

  test('is loaded when a key is set; events wait for it, then go out in order as the key decided', async () => {
    const l = loader()
    const { zaraz, transport } = start(config({}), l.load)
    zaraz.set('google_consent_update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' })
    expect(l.loads).toEqual(['consent-cmp'])
    const a = zaraz.track('a')
    const b = zaraz.track('b')
    await tick()
    await tick()
    expect(transport.requests).toHaveLength(0)
    l.arrive()
    await a
    await b
    await tick()
    expect(perTool(transport)).toEqual({ ads: ['a', 'b'], plain: ['a', 'b'] })
    // Once loaded, the bridge answers synchronously.
    zaraz.set('google_consent_update', { ad_storage: 'denied' })
    expect(zaraz.consent.get('ads')).toBe(false)
  })

  test('a choice made through the Consent API after a key was set, while the chunk loads, still wins over that key (call order)', async () => {
    const l = loader()
    const { zaraz, transport } = start(config({}), l.load)
    const granted = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' }
    zaraz.set('google_consent_update', granted)
    // The visitor refuses everything, then one purpose comes back: after the key, so these decide.
    zaraz.consent.setAll(false)
    zaraz.consent.set({ stats: true })
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: true })
    const a = zaraz.track('a')
    l.arrive()
    await a
    await tick()
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: true })
    expect(readChoices(document, 'zaraz-consent')).toEqual({ ads: false, stats: true })
    expect(sentBy(transport)).toEqual(['stats:a', 'plain:a'])
    // A key set after the choices decides in turn, at once now.
    zaraz.set('google_consent_update', granted)
    expect(zaraz.consent.getAll()).toEqual({ ads: true, stats: true })
  })

  test('a choice forgotten through the Consent API after a key was set, while the chunk loads, stays forgotten', async () => {
    const l = loader()
    const { zaraz } = start(config({}), l.load)
    zaraz.set('google_consent_update', { analytics_storage: 'granted' })
    zaraz.consent.setAll(null)
    l.arrive()
    await zaraz.track('a')
    await tick()
    expect(readChoices(document, 'zaraz-consent')).toEqual({})
    expect(zaraz.consent.get('stats')).toBe(false)
  })

  test('is loaded for a key stored on an earlier page, at start', async () => {
    localStorage.setItem('_zaraz_google_consent_update', JSON.stringify({ analytics_storage: 'granted' }))
    // (Newer runtimes read Web Storage only once this hint cookie says tagrelay wrote there.)
    document.cookie = 'tagrelay_st=1; path=/'
    const l = loader()
    const { zaraz, transport } = start(config({}), l.load)
    expect(l.loads).toEqual(['consent-cmp'])
    const a = zaraz.track('a')
    l.arrive()
    await a
    await tick()
    expect(zaraz.consent.get('stats')).toBe(true)
    expect(sentBy(transport)).toEqual(['stats:a', 'plain:a'])
  })

  test('is loaded when a Google tool gets an event on a page with purposes, and that tool waits for it', async () => {
    const l = loader()
    const seen: unknown[] = []
    const cfg = { consent: { enabled: true, hideModal: true, purposes: PURPOSES }, tools: { g: { component: 'google-analytics-4', automatedActions: { track: true } } } }
    const transport = createRecordingTransport()
    const zaraz = createRuntime({
      config: cfg,
      env: browserEnv({ console: recordingConsole().log, clock: createFakeClock() }),
      transport,
      load: l.load,
      tools: { 'google-analytics-4': (m) => void m.addEventListener('event', (e) => void seen.push(e.payload)) },
      pageview: false,
    })
    zaraz.consent.set({ stats: true, ads: false })
    const a = zaraz.track('a')
    await tick()
    expect(l.loads).toEqual(['consent-cmp'])
    expect(seen).toHaveLength(0)
    l.arrive()
    await a
    expect(seen[0]).toMatchObject({ google_consent_update: { ad_storage: 'denied', analytics_storage: 'granted' } })
  })
})
