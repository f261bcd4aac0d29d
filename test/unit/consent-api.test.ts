import { beforeEach, describe, expect, test } from 'vitest'
import { setup, setupWithLoad, httpTool, resetPage, recordingConsole } from './helpers'
import { createRuntime } from '../../src/runtime'
import { browserEnv } from '../../src/platform/env'
import { createFakeClock } from '../../src/testing/fake-clock'
import { createRecordingTransport } from '../../src/testing/recording-transport'
import { checkConsentConfig } from '../../src/consent/settings'
import { purposesFromTcf, tcfMapping, bridgeTcf, type TCData } from '../../src/consent/tcf'
import { consentModeFromPurposes, gcs } from '../../src/consent/google'
import { readConsentSettings } from '../../src/consent/settings'
import { writeChoices, readChoices } from '../../src/consent/cookie'
import type { ModalModule, ModalOptions } from '../../src/consent/modal'

beforeEach(() => {
  resetPage()
  document.body.innerHTML = ''
  document.documentElement.lang = ''
})

const tick = () => new Promise((r) => setTimeout(r, 0))
const sentBy = (t: { requests: Array<{ json?: unknown }> }) => t.requests.map((r) => (r.json as { tool: string; event: string })).map((j) => `${j.tool}:${j.event}`)
const tool = (id: string, purpose?: string, extra: Record<string, unknown> = {}) =>
  httpTool({ defaultPurpose: purpose, defaultFields: { ...httpTool().defaultFields, tool: id }, ...extra })

const CONSENT = {
  enabled: true,
  hideModal: true,
  cookieName: 'my-consent',
  purposes: { ads: { name: 'Advertising', description: 'Ads' } },
  purposesWithTranslations: {
    stats: { name: { en: 'Analytics', de: 'Statistik' }, description: { en: 'Counting visits', de: 'Besuche zählen' }, order: 1 },
  },
}
const config = (consent: Record<string, unknown> = {}) => ({
  consent: { ...CONSENT, ...consent },
  tools: { ads: tool('ads', 'ads'), stats: tool('stats', 'stats'), plain: tool('plain') },
})
const cookie = () => readChoices(document, 'my-consent')

describe('the Consent API', () => {
  test('get, getAll: every purpose, false until granted, undefined for an unknown purpose', () => {
    const { zaraz } = setup(config())
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: false })
    expect(zaraz.consent.get('ads')).toBe(false)
    expect(zaraz.consent.get('nope')).toBeUndefined()
    zaraz.consent.set({ ads: true })
    expect(zaraz.consent.get('ads')).toBe(true)
    expect(zaraz.consent.getAll()).toEqual({ ads: true, stats: false })
  })

  test('set stores the choices in the cookie, JSON, one year, SameSite=Lax, Path=/', () => {
    const { zaraz } = setup(config())
    zaraz.consent.set({ stats: true })
    expect(cookie()).toEqual({ stats: true })
    const writes: string[] = []
    const fake = { location: { protocol: 'http:', hostname: 'localhost' }, set cookie(v: string) { writes.push(v) }, get cookie() { return '' } } as unknown as Document
    writeChoices(fake, 'zaraz-consent', { a: true })
    expect(writes).toEqual(['zaraz-consent={"a":true}; max-age=31536000; path=/; samesite=lax'])
  })

  test('without settings.cookieDomain the cookie goes on the highest domain the browser accepts', () => {
    const jar: string[] = []
    const fake = {
      location: { protocol: 'https:', hostname: 'shop.example.co.uk' },
      // A browser refuses a cookie for a public suffix such as co.uk (attribute names in any case).
      set cookie(v: string) { if (!/domain=co\.uk/i.test(v)) jar.push(v) },
      get cookie() { return jar.length ? jar[jar.length - 1].split(';')[0] : '' },
    } as unknown as Document
    writeChoices(fake, 'zaraz-consent', { a: true })
    // The domain is found with a test cookie (src/lib/cookie-domain.ts, shared with the vendor
    // cookie jar); the consent cookie itself is written once, there.
    expect(jar.filter((v) => v.startsWith('zaraz-consent='))).toEqual(['zaraz-consent={"a":true}; max-age=31536000; domain=example.co.uk; path=/; samesite=lax; secure'])
  })

  test('the cookie goes on settings.cookieDomain when the config has one', () => {
    const writes: string[] = []
    const fake = { location: { protocol: 'https:', hostname: 'shop.example.com' }, set cookie(v: string) { writes.push(v) }, get cookie() { return '' } } as unknown as Document
    writeChoices(fake, 'zaraz-consent', { a: true }, 'example.com')
    expect(writes[0]).toBe('zaraz-consent={"a":true}; max-age=31536000; domain=example.com; path=/; samesite=lax; secure')
  })

  test('settings.cookieDomain "" is no domain set: the consent cookie goes on the registrable domain', async () => {
    const { createConsent } = await import('../../src/consent/index')
    const jar: string[] = []
    const document = {
      location: { protocol: 'https:', hostname: 'shop.example.co.uk' },
      set cookie(v: string) { if (!/domain=co\.uk/i.test(v)) jar.push(v) },
      get cookie() { return jar.length ? jar[jar.length - 1].split(';')[0] : '' },
      dispatchEvent: () => true,
    } as unknown as Document
    const c = createConsent({
      config: { settings: { cookieDomain: '' }, consent: { enabled: true, hideModal: true, purposes: { a: { name: 'A', description: '' } } } },
      env: { document, console } as never,
      note: () => undefined,
    })
    c.api.consent.set({ a: true })
    expect(jar.filter((v) => v.startsWith('zaraz-consent='))).toEqual(['zaraz-consent={"a":true}; max-age=31536000; domain=example.co.uk; path=/; samesite=lax; secure'])
  })

  test('set throws Zaraz’s errors for a boolean, a non-object, an unknown purpose and a non-boolean value', () => {
    const { zaraz } = setup(config())
    const help = 'The zaraz.consent.set method takes an object as an argument. The keys are the purpose ids, and values are booleans (true=has consent).'
    expect(() => zaraz.consent.set(true as never)).toThrow(`${help} If you want to (de)select all purposes, use zaraz.consent.setAll(true/false)`)
    expect(() => zaraz.consent.set('ads' as never)).toThrow(help)
    expect(() => zaraz.consent.set(null as never)).toThrow(help)
    expect(() => zaraz.consent.set({ nope: true })).toThrow('Unknown purpose id: nope')
    // Names an object has by inheritance are no purposes either.
    expect(() => zaraz.consent.set({ constructor: true } as never)).toThrow('Unknown purpose id: constructor')
    expect(zaraz.consent.get('toString')).toBeUndefined()
    expect(() => zaraz.consent.set({ ads: 'yes' } as never)).toThrow('Invalid value for purpose ads: yes (string)')
    expect(() => zaraz.consent.setAll(1 as never)).toThrow('Invalid value for purpose ads: 1 (number)')
    expect(cookie()).toEqual({})
  })

  test('setAll sets every purpose; setAll(null) forgets every choice', () => {
    const { zaraz } = setup(config())
    zaraz.consent.setAll(true)
    expect(cookie()).toEqual({ ads: true, stats: true })
    zaraz.consent.setAll(false)
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: false })
    zaraz.consent.setAll(null)
    expect(cookie()).toEqual({})
  })

  test('purposes lists every purpose with texts by language and its order; APIReady is true and read-only', () => {
    const { zaraz } = setup(config())
    expect(zaraz.consent.purposes).toEqual({
      stats: { id: 'stats', name: { en: 'Analytics', de: 'Statistik' }, description: { en: 'Counting visits', de: 'Besuche zählen' }, order: 1 },
      ads: { id: 'ads', name: { en: 'Advertising' }, description: { en: 'Ads' }, order: 0 },
    })
    expect(zaraz.consent.APIReady).toBe(true)
    expect(() => ((zaraz.consent as { APIReady: boolean }).APIReady = false)).toThrow(TypeError)
  })

  test('zarazConsentAPIReady fires after the API is installed; zarazConsentChoicesUpdated on every set', async () => {
    const seen: string[] = []
    const ready = () => seen.push(`ready:${(window as { zaraz?: { consent?: { APIReady?: boolean } } }).zaraz?.consent?.APIReady}`)
    const updated = () => seen.push('updated')
    document.addEventListener('zarazConsentAPIReady', ready)
    document.addEventListener('zarazConsentChoicesUpdated', updated)
    try {
      const { zaraz } = setup(config(), { install: true })
      await tick()
      zaraz.consent.set({ ads: true })
      zaraz.consent.setAll(false)
      expect(seen).toEqual(['ready:true', 'updated', 'updated'])
    } finally {
      document.removeEventListener('zarazConsentAPIReady', ready)
      document.removeEventListener('zarazConsentChoicesUpdated', updated)
      delete (window as { zaraz?: unknown }).zaraz
    }
  })

  test('system.consent shows the current choices', async () => {
    const { zaraz, transport } = setup({
      consent: CONSENT,
      tools: { t: httpTool({ defaultFields: { ...httpTool().defaultFields, c: '{{ system.consent }}', s: '{{ system.consent.stats }}' } }) },
    })
    zaraz.consent.set({ stats: true })
    await zaraz.track('a')
    expect(transport.requests[0].json).toMatchObject({ c: { ads: false, stats: true }, s: true })
  })
})

describe('holding events until consent', () => {
  test('tools wait for their purpose; granting delivers what they missed, in order, once', async () => {
    const { zaraz, transport } = setup(config())
    await zaraz.track('Pageview')
    await zaraz.track('one')
    expect(sentBy(transport)).toEqual(['plain:Pageview', 'plain:one'])
    zaraz.consent.set({ stats: true })
    await tick()
    expect(sentBy(transport).slice(2)).toEqual(['stats:Pageview', 'stats:one'])
    zaraz.consent.set({ ads: false })
    await zaraz.track('two')
    expect(sentBy(transport).slice(4)).toEqual(['stats:two', 'plain:two'])
  })

  test('sendQueuedEvents sends the pageview to a tool whose purpose was refused, then granted', async () => {
    const { zaraz, transport } = setup(config())
    zaraz.consent.setAll(false)
    await zaraz.track('Pageview')
    zaraz.consent.set({ ads: true })
    await tick()
    expect(sentBy(transport)).toEqual(['plain:Pageview'])
    zaraz.consent.sendQueuedEvents()
    zaraz.consent.sendQueuedEvents()
    await tick()
    expect(sentBy(transport)).toEqual(['plain:Pageview', 'ads:Pageview'])
  })

  test('track() does not wait for consent: it resolves without the held tools', async () => {
    const { zaraz } = setup({ consent: CONSENT, tools: { stats: tool('stats', 'stats') } })
    await expect(zaraz.track('a')).resolves.toEqual({ return: {} })
  })

  test('with consent.enabled off every tool gets events at once', async () => {
    const { zaraz, transport } = setup(config({ enabled: false }))
    await zaraz.track('a')
    expect(sentBy(transport).sort()).toEqual(['ads:a', 'plain:a', 'stats:a'])
  })
})

describe('the modal, through the API', () => {
  /** A stand-in modal module recording what the core asks of it. */
  function fakeModal() {
    const opened: ModalOptions[] = []
    let boxes: Record<string, boolean> = {}
    const mod: ModalModule = {
      openModal(o) {
        opened.push(o)
        boxes = { ...o.checked }
        // Like the real modal (src/consent/modal.ts, checked in test/e2e/consent.test.ts): unknown ids are ignored.
        const set = (c: Record<string, unknown>) => Object.keys(c).forEach((id) => id in o.checked && (boxes[id] = !!c[id]))
        return { close: () => o.closed(), get: () => ({ ...boxes }), set }
      },
    }
    const loads: string[] = []
    const load = (name: string) => (loads.push(name), Promise.resolve(mod))
    return { opened, loads, load }
  }

  test('is shown on the first visit, loading its chunk; not when every purpose was decided, nor with hideModal', async () => {
    const a = fakeModal()
    const { zaraz } = setupWithLoad(config({ hideModal: false }), a.load)
    await tick()
    await tick()
    expect(a.loads).toEqual(['consent-modal'])
    expect(zaraz.consent.modal).toBe(true)
    zaraz.consent.setAll(true)
    const b = fakeModal()
    setupWithLoad(config({ hideModal: false }), b.load)
    const c = fakeModal()
    setupWithLoad(config({ hideModal: true }), c.load)
    await tick()
    expect(b.loads).toEqual([])
    expect(c.loads).toEqual([])
  })

  test('with afterPaint (the script-tag build), the modal opens only after the page painted; modal = false before that keeps it closed', async () => {
    const paints: Array<() => void> = []
    const afterPaint = () => new Promise<void>((resolve) => paints.push(resolve))
    const open = async (hideModal: boolean) => {
      const m = fakeModal()
      const zaraz = createRuntime({
        config: config({ hideModal }),
        env: browserEnv({ console: recordingConsole().log, clock: createFakeClock() }),
        transport: createRecordingTransport(),
        load: m.load,
        pageview: false,
        afterPaint,
      })
      await tick()
      await tick()
      return { zaraz, m }
    }
    const { zaraz, m } = await open(false)
    // The chunk is here, but the modal waits for the paint (it would force the page's style and layout).
    expect(m.loads).toEqual(['consent-modal'])
    expect(m.opened).toHaveLength(0)
    expect(zaraz.consent.modal).toBe(true)
    paints.shift()!()
    await tick()
    expect(m.opened).toHaveLength(1)
    // Hidden again while it waits for the paint: it does not open.
    const other = await open(true)
    other.zaraz.consent.modal = true
    await tick()
    expect(other.m.loads).toEqual(['consent-modal'])
    other.zaraz.consent.modal = false
    paints.shift()!()
    await tick()
    expect(other.m.opened).toHaveLength(0)
  })

  test('checkboxes: getAllCheckboxes, setCheckboxes, setAllCheckboxes; modal = false closes it, with events', async () => {
    const m = fakeModal()
    const { zaraz } = setupWithLoad(config(), m.load)
    const events: string[] = []
    for (const e of ['zarazConsentModalOpened', 'zarazConsentModalClosed']) document.addEventListener(e, () => events.push(e))
    expect(zaraz.consent.getAllCheckboxes()).toEqual({ ads: false, stats: false })
    zaraz.showConsentModal()
    await tick()
    zaraz.consent.setCheckboxes({ ads: true, nope: true })
    expect(zaraz.consent.getAllCheckboxes()).toEqual({ ads: true, stats: false })
    zaraz.consent.setAllCheckboxes(true)
    expect(zaraz.consent.getAllCheckboxes()).toEqual({ ads: true, stats: true })
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: false })
    zaraz.consent.modal = false
    expect(zaraz.consent.modal).toBe(false)
    expect(events).toEqual(['zarazConsentModalOpened', 'zarazConsentModalClosed'])
  })

  test('a choice in the modal is stored and the pageview goes to newly granted tools', async () => {
    const m = fakeModal()
    const { zaraz, transport } = setupWithLoad(config(), m.load)
    zaraz.consent.setAll(false)
    await zaraz.track('Pageview')
    zaraz.consent.modal = true
    await tick()
    m.opened[0].decide({ ads: true, stats: false })
    await tick()
    expect(cookie()).toEqual({ ads: true, stats: false })
    expect(sentBy(transport)).toEqual(['plain:Pageview', 'ads:Pageview'])
  })

  test('needs consent.enabled', () => {
    const m = fakeModal()
    const { zaraz, console } = setupWithLoad(config({ enabled: false }), m.load)
    zaraz.showConsentModal()
    expect(m.loads).toEqual([])
    expect(console.count('warn')).toBe(1)
  })
})


describe('existing CMPs', () => {
  const settings = readConsentSettings(CONSENT)

  test('TCF: a purpose is granted when its TCF purposes are allowed (consent, or legitimate interest where TCF allows it)', () => {
    const mapping = tcfMapping(settings)
    expect(mapping).toEqual({ ads: [1, 2, 3, 4, 7], stats: [1, 8, 9] })
    const data = (consents: number[], li: number[] = []): TCData => ({
      purpose: { consents: Object.fromEntries(consents.map((n) => [n, true])), legitimateInterests: Object.fromEntries(li.map((n) => [n, true])) },
    })
    expect(purposesFromTcf(data([1, 8, 9]), mapping)).toEqual({ ads: false, stats: true })
    expect(purposesFromTcf(data([1], [8, 9]), mapping)).toEqual({ ads: false, stats: true })
    expect(purposesFromTcf(data([8, 9], [1]), mapping)).toEqual({ ads: false, stats: false })
    expect(purposesFromTcf(data([1, 2, 3, 4, 7]), mapping)).toEqual({ ads: true, stats: false })
    expect(tcfMapping(readConsentSettings({ ...CONSENT, tcfPurposes: { ads: [1, 4] } }))).toEqual({ ads: [1, 4], stats: [] })
  })

  test('TCF: the bridge follows the CMP’s events and stores the choices', async () => {
    let listener: ((d: TCData, ok: boolean) => void) | undefined
    const w = { __tcfapi: (cmd: string, v: number, cb: (d: TCData, ok: boolean) => void) => cmd == 'addEventListener' && v == 2 && (listener = cb) }
    const applied: Array<[Record<string, boolean>, boolean]> = []
    expect(bridgeTcf(w as unknown as Window, settings, (c, p) => applied.push([c, p]))).toBe(true)
    listener!({ eventStatus: 'cmpuishown', gdprApplies: true }, true)
    listener!({ eventStatus: 'useractioncomplete', gdprApplies: true, purpose: { consents: { 1: true, 8: true, 9: true } } }, true)
    listener!({ gdprApplies: false }, true)
    expect(applied).toEqual([
      [{ ads: false, stats: true }, true],
      [{ ads: true, stats: true }, false],
    ])
    expect(bridgeTcf({} as Window, settings, () => undefined)).toBe(false)
  })

  test('TCF: a page with __tcfapi gets no modal of ours, and its choices gate the tools', async () => {
    let listener: ((d: TCData, ok: boolean) => void) | undefined
    ;(window as unknown as { __tcfapi?: unknown }).__tcfapi = (_c: string, _v: number, cb: typeof listener) => (listener = cb)
    try {
      const loads: string[] = []
      // The bridge is its own chunk (consent-cmp); the modal would never load here.
      const chunk = (n: string) => (loads.push(n), n == 'consent-cmp' ? import('../../src/consent/cmp') : new Promise(() => undefined))
      const { zaraz, transport } = setupWithLoad(config({ hideModal: false }), chunk)
      await zaraz.track('Pageview')
      listener!({ eventStatus: 'tcloaded', gdprApplies: true, purpose: { consents: { 1: true, 8: true, 9: true } } }, true)
      await tick()
      expect(loads).toEqual(['consent-cmp'])
      expect(sentBy(transport)).toEqual(['plain:Pageview', 'stats:Pageview'])
      expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: true })
    } finally {
      delete (window as unknown as { __tcfapi?: unknown }).__tcfapi
    }
  })

  test('Google Consent Mode: google_consent_update decides the mapped purposes; a default only grants', async () => {
    const { zaraz, transport } = setup(config())
    zaraz.set('google_consent_default', { ad_storage: 'denied', analytics_storage: 'granted' })
    await zaraz.track('a')
    expect(zaraz.consent.getAll()).toEqual({ ads: false, stats: true })
    expect(cookie()).toEqual({})
    zaraz.set('google_consent_update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' })
    await tick()
    expect(cookie()).toEqual({ ads: true })
    zaraz.set('google_consent_update', { ad_personalization: 'denied' })
    expect(cookie()).toEqual({ ads: false })
    expect(sentBy(transport)).toEqual(['stats:a', 'plain:a', 'ads:a'])
  })

  test('Google Consent Mode: Google tools get the state in their payload, from zaraz.set or from the purposes', async () => {
    const seen: unknown[] = []
    const google = (m: { addEventListener(t: string, f: (e: { payload: unknown }) => void): void }) => m.addEventListener('event', (e) => seen.push(e.payload))
    const cfg = { consent: CONSENT, tools: { g: { component: 'google-analytics-4', automatedActions: { track: true } } } }
    const { zaraz } = setup(cfg, { tools: { 'google-analytics-4': google as never } })
    zaraz.consent.set({ stats: true, ads: false })
    await zaraz.track('a')
    expect(seen[0]).toMatchObject({ google_consent_update: { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted' } })
    zaraz.set('google_consent_default', { ad_storage: 'denied' }, { scope: 'page' })
    await zaraz.track('b')
    expect(seen[1]).toMatchObject({ google_consent_default: { ad_storage: 'denied' } })
    expect(gcs(consentModeFromPurposes((id) => id == 'stats', { stats: ['analytics_storage'], ads: ['ad_storage'] }))).toBe('G101')
  })
})

test('checkConsentConfig names a defaultPurpose that is not a purpose, and bad bridge mappings', () => {
  expect(
    checkConsentConfig({
      consent: { ...CONSENT, tcfPurposes: { ads: [1, 12] }, googleConsentMode: { nope: ['ad_storage'] } },
      tools: { a: { defaultPurpose: 'ads' }, b: { defaultPurpose: 'typo' }, c: {} },
    }),
  ).toEqual([
    { path: 'tools.b.defaultPurpose', message: 'unknown purpose "typo" (not in consent.purposes or consent.purposesWithTranslations)' },
    { path: 'consent.tcfPurposes.ads', message: 'expected a list of TCF purpose numbers (1–11)' },
    { path: 'consent.googleConsentMode.nope', message: 'unknown purpose "nope"' },
  ])
})
