/**
 * Configs as Zaraz exports them (CONTRACT.md §9): tool entries with the permissions Zaraz's own
 * tools require (their manifests), actions with the exported data, the built-in triggers.
 */
import { beforeEach, describe, expect, test } from 'vitest'
import type { ManagedComponent } from '../../src/types/mc'
import type { TrackedEvent } from '../../src/types/event'
import { buildSystem, readDevice } from '../../src/context/system'
import { parseUserAgent } from '../../src/context/user-agent'
import { httpTool, resetPage, setup } from './helpers'

beforeEach(resetPage)

/** The built-in triggers as a Zaraz export writes them. */
const TRIGGERS = {
  Pageview: {
    name: 'Pageview',
    description: 'All page loads',
    system: 'pageload',
    clientRules: [],
    excludeRules: [],
    loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'Pageview' }],
  },
  AllTracks: {
    name: 'All Tracks',
    description: 'All zaraz.track() calls',
    excludeRules: [],
    loadRules: [
      { id: 'rul1', match: '{{ client.__zarazTrack }}', op: 'NOT_MATCH_REGEX', value: '^__zaraz.*' },
      { id: 'rul2', match: '{{ client.__zarazEcommerce }}', op: 'NOT_MATCH_REGEX', value: 'true' },
      { id: 'pgv2', match: '{{ client.__zarazTrack }}', op: 'NOT_MATCH_REGEX', value: '^Pageview$' },
    ],
  },
}

/** The two automated actions of an exported tool. */
const AUTOMATED = {
  AllPageviews: {
    actionType: 'pageview',
    blockingTriggers: [],
    data: { __enrichPayload: 'client', __zaraz_setting_name: 'Pageview' },
    enabled: true,
    firingTriggers: ['Pageview'],
  },
  AllTracks: {
    actionType: 'event',
    blockingTriggers: [],
    data: { __enrichPayload: 'client', __zaraz_setting_name: 'All other events', en: '{{ client.__zarazTrack }}' },
    enabled: true,
    firingTriggers: ['AllTracks'],
  },
}

/** A tool entry as exported: `permissions` are those Zaraz's tool of that name requires. */
const exported = (component: string, name: string, permissions: string[], settings: Record<string, unknown>, actions: Record<string, unknown> = AUTOMATED) => ({
  blockingTriggers: [],
  component,
  defaultFields: {},
  enabled: true,
  name,
  permissions,
  settings,
  type: 'component',
  actions,
})

const GA4 = exported('google-analytics-4', 'Google Analytics 4', ['access_client_kv', 'server_network_requests'], { ecommerce: true, tid: 'G-EXPORT1' })
const META = exported('facebook-pixel', 'Facebook Pixel', ['access_client_kv', 'server_network_requests'], { ecommerce: true, property: '1234567890' })
const ADS = exported('google-ads', 'Google Ads', ['client_network_requests', 'access_client_kv'], { conversionId: 'AW-987654', conversionLabel: 'buy', ecommerce: true })
const HTTP = exported('http-request', 'HTTP Request', ['server_network_requests'], {}, {
  ev: { actionType: 'event', blockingTriggers: [], enabled: true, firingTriggers: ['Pageview'], data: { __setting_endpoint: 'https://collect.example/c', __setting_method: 'get', page: '{{ system.page.url.pathname }}' } },
})
/** LinkedIn's built-in tool; Zaraz's manifest for it requires only this. */
const LINKEDIN = exported('linkedin', 'LinkedIn Insight', ['client_network_requests'], { pid: '5551234' }, {
  lead: { actionType: 'event', blockingTriggers: [], enabled: true, firingTriggers: ['AllTracks'], data: { conversionId: '777' } },
})

const hosts = (urls: string[]) => urls.map((u) => new URL(u).host + new URL(u).pathname)

describe('permissions as Zaraz exports them', () => {
  test('GA4, Meta Pixel, Google Ads, HTTP Request and LinkedIn all send with the exported permissions', async () => {
    const config = { settings: { ecommerce: true }, triggers: TRIGGERS, tools: { ga4: GA4, meta: META, ads: ADS, http: HTTP, li: LINKEDIN } }
    const { zaraz, transport, console } = setup(config)
    await zaraz.track('Pageview')
    await zaraz.track('Signup')
    const sent = hosts(transport.requests.map((r) => r.url))
    // Pageview: GA4, Meta, Ads, HTTP Request; Signup: GA4, Meta, Ads, LinkedIn.
    expect(sent.filter((u) => u == 'www.google-analytics.com/g/collect')).toHaveLength(2)
    expect(sent.filter((u) => u == 'www.facebook.com/tr/')).toHaveLength(2)
    expect(sent.filter((u) => u == 'googleads.g.doubleclick.net/pagead/viewthroughconversion/987654/')).toHaveLength(2)
    expect(sent.filter((u) => u == 'collect.example/c')).toHaveLength(1)
    expect(sent.filter((u) => u == 'px.ads.linkedin.com/collect/')).toHaveLength(1)
    expect(transport.requests.find((r) => r.url.includes('linkedin'))!.url).toContain('pid=5551234')
    expect(console.count('warn')).toBe(0)
  })

  test('the server permission covers only what a built-in sends for Zaraz’s server-side tool, not a registered component’s client.fetch', async () => {
    const answers: unknown[] = []
    const mine: ManagedComponent = (manager) =>
      void manager.addEventListener('pageview', ({ client }) => void answers.push(client.fetch('https://mine.example/')))
    const { zaraz, transport } = setup({ tools: { m: { component: 'mine', permissions: ['server_network_requests'], automatedActions: { pageview: true } } } }, { tools: { mine } })
    await zaraz.track('Pageview')
    expect(answers).toEqual([undefined])
    expect(transport.requests).toEqual([])
  })

  test('a built-in whose Zaraz namesake sends from the browser is not covered by the server permission', async () => {
    const ads = { ...ADS, permissions: ['access_client_kv', 'server_network_requests'] }
    const { zaraz, transport } = setup({ triggers: TRIGGERS, tools: { ads } })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })

  test('a missing network permission is said once on the console, outside debug mode, naming the tool and the permission', async () => {
    const ga4 = { ...GA4, permissions: ['access_client_kv'] }
    const { zaraz, transport, console } = setup({ triggers: TRIGGERS, tools: { ga4 } })
    await zaraz.track('Pageview')
    await zaraz.track('Signup')
    await zaraz.track('Signup')
    expect(transport.requests).toEqual([])
    const warnings = console.lines.filter((l) => l.level == 'warn').map((l) => l.args.join(' '))
    expect(warnings).toEqual(['[tagrelay] tool "ga4": client.fetch needs the "client_network_requests" permission: not sent'])
  })

  test('a refused client KV call is not a console warning (the tool still sends)', async () => {
    const { zaraz, transport, console } = setup({ triggers: TRIGGERS, tools: { li: LINKEDIN } })
    history.replaceState({}, '', '?li_fat_id=abc')
    await zaraz.track('Signup')
    history.replaceState({}, '', location.pathname)
    expect(transport.requests).toHaveLength(1)
    // The landing URL's click id is sent all the same; only keeping it needs client KV.
    expect(new URL(transport.requests[0].url).searchParams.get('li_fat_id')).toBe('abc')
    expect(console.count('warn')).toBe(0)
  })
})

describe('the automatedActions shorthand next to exported actions', () => {
  /** A component recording the payload of every `event` it gets. */
  const recording = () => {
    const payloads: Array<Record<string, unknown>> = []
    const component: ManagedComponent = (manager) => void manager.addEventListener('event', ({ payload }) => void payloads.push(payload))
    return { payloads, component }
  }
  const OWN = { actionType: 'event', blockingTriggers: [], enabled: true, firingTriggers: ['AllTracks'], data: { __zaraz_setting_name: 'Signups', __enrichPayload: 'client', en: 'sign_up', plan: '{{ client.plan }}' } }

  test('track: false folds only the exported automated action: a user’s own action on AllTracks keeps its fields', async () => {
    const { payloads, component } = recording()
    const tool = { component: 'rec', actions: { AllTracks: AUTOMATED.AllTracks, own: OWN }, automatedActions: { track: false } }
    const { zaraz } = setup({ triggers: TRIGGERS, tools: { r: tool } }, { tools: { rec: component } })
    await zaraz.track('Signup', { plan: 'pro' })
    expect(payloads).toEqual([{ en: 'sign_up', plan: 'pro' }])
  })

  test('track: true replaces the exported automated action (no second delivery) and keeps a user’s own', async () => {
    const { payloads, component } = recording()
    const tool = { component: 'rec', actions: { AllTracks: AUTOMATED.AllTracks, own: OWN }, automatedActions: { track: true } }
    const { zaraz } = setup({ triggers: TRIGGERS, tools: { r: tool } }, { tools: { rec: component } })
    await zaraz.track('Signup', { plan: 'pro' })
    expect(payloads).toEqual([{ en: 'sign_up', plan: 'pro' }, { plan: 'pro' }])
  })

  test('pageview: false folds the exported automated pageview, not a pageview action with fields of its own', async () => {
    const pageviews: Array<Record<string, unknown>> = []
    const component: ManagedComponent = (manager) => void manager.addEventListener('pageview', ({ payload }) => void pageviews.push(payload))
    const own = { actionType: 'pageview', firingTriggers: ['Pageview'], data: { __zaraz_setting_name: 'Page view', ev: 'PageView' } }
    const tool = { component: 'rec', actions: { AllPageviews: AUTOMATED.AllPageviews, own }, automatedActions: { pageview: false } }
    const { zaraz } = setup({ triggers: TRIGGERS, tools: { r: tool } }, { tools: { rec: component } })
    await zaraz.track('Pageview')
    expect(pageviews).toEqual([{ ev: 'PageView' }])
  })
})

describe('system properties Zaraz lists', () => {
  /** A tool that keeps values in its client KV: `infinite`, `session` and `page` scope. */
  const writer: ManagedComponent = (manager) =>
    void manager.addEventListener('pageview', ({ client }) => {
      client.set('ga4', 'GA-123')
      client.set('sid_n', '7', { scope: 'session' })
      client.set('p', 'here', { scope: 'page' })
    })

  test('system.clientKV.<toolId>_<key> reads any tool’s client KV values, whatever their scope', async () => {
    const reader = httpTool({ automatedActions: { track: true }, defaultFields: { __setting_endpoint: 'https://collect.example/c', __setting_method: 'post-json', ga: '{{ system.clientKV.ab_cd_ga4 }}', __includeSystemProperties: true } })
    const config = { tools: { ab_cd: { component: 'writer', permissions: ['access_client_kv'], automatedActions: { pageview: true } }, c: reader } }
    const { zaraz, transport } = setup(config, { tools: { writer } })
    await zaraz.track('Pageview')
    await zaraz.track('Signup')
    const body = transport.requests[0].json as { ga: string; system: { clientKV: Record<string, string> } }
    expect(body.ga).toBe('GA-123')
    expect(body.system.clientKV).toEqual({ ab_cd_ga4: 'GA-123', ab_cd_sid_n: '7', ab_cd_p: 'here' })
  })

  /** A document whose cookies behave as a browser's on `host`: a cookie on a public suffix is refused. */
  const pageAt = (host: string) => {
    const jar = new Map<string, string>()
    const writes: string[] = []
    const doc = {
      characterSet: 'UTF-8',
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
      },
      set cookie(line: string) {
        writes.push(line)
        const [pair, ...attrs] = line.split(';').map((a) => a.trim())
        const domain = attrs.find((a) => a.startsWith('domain='))?.slice(7)
        if (domain && (['co.uk', 'uk', 'com'].includes(domain) || !(host == domain || host.endsWith('.' + domain)))) return
        const name = pair.slice(0, pair.indexOf('='))
        if (attrs.includes('max-age=0')) jar.delete(name)
        else jar.set(name, pair.slice(pair.indexOf('=') + 1))
      },
    }
    return { doc: doc as unknown as Document, writes }
  }
  const event = { id: 'e', name: 'x', json: {}, setValues: {}, ecommerce: false, time: 1_700_000_000_000, page: { href: '', title: 'T', referrer: '' } } as TrackedEvent
  const system = (href: string, doc: Document, kv = () => ({})) =>
    buildSystem(event, { url: new URL(href), referrer: '' }, readDevice(undefined), parseUserAgent('', undefined), doc, {}, 0.5, kv)

  test('system.page.url has baseDomain (without subdomains), username and password', () => {
    const { doc } = pageAt('www.shop.example.co.uk')
    const { url } = system('https://ann:s3cret@www.shop.example.co.uk/cart', doc).page
    expect([url.baseDomain, url.username, url.password, url.hostname]).toEqual(['example.co.uk', 'ann', 's3cret', 'www.shop.example.co.uk'])
    expect(system('http://localhost:8080/', pageAt('localhost').doc).page.url.baseDomain).toBe('localhost')
  })

  test('the base domain and client KV are read only when a template reads them, once per event', () => {
    const { doc, writes } = pageAt('www.example.com')
    let reads = 0
    const s = system('https://www.example.com/', doc, () => (reads++, { t_k: 'v' }))
    expect([s.page.url.pathname, s.page.title]).toEqual(['/', 'T'])
    expect([writes.length, reads]).toEqual([0, 0])
    expect([s.page.url.baseDomain, s.page.url.baseDomain, s.clientKV.t_k, s.clientKV.t_k]).toEqual(['example.com', 'example.com', 'v', 'v'])
    // One probe (a test cookie written and removed), one read of the storage.
    expect([writes.length, reads]).toEqual([2, 1])
  })
})
