// Secrets are refused anywhere in a tool entry (CONTRACT.md §9): a server secret (an access
// token, an API secret…) is a config error wherever it stands (settings, default fields, actions,
// neoEvents), by its name, whatever the component; the runtime then stays inert.
import { beforeEach, describe, expect, test } from 'vitest'
import { validateConfig } from '../../src/index'
import { compileConfig } from '../../src/config/compile'
import { describe as words } from '../../src/config/messages'
import { resetPage, setup } from './helpers'

beforeEach(resetPage)

/** A tool entry shaped like a Zaraz export. */
const entry = (component: string, o: Record<string, unknown> = {}) => ({
  type: 'component',
  component,
  name: component,
  enabled: true,
  permissions: ['access_client_kv', 'client_network_requests'],
  settings: {},
  defaultFields: {},
  actions: {},
  ...o,
})

const pageview = (data: Record<string, unknown> = {}) => ({
  actionType: 'pageview',
  firingTriggers: ['Pageview'],
  blockingTriggers: [],
  data: { __zaraz_setting_name: 'Page view', ...data },
})

const exported = (tools: Record<string, unknown>, variables: Record<string, unknown> = {}) => ({ zarazVersion: 57, settings: {}, triggers: {}, variables, tools })

const paths = (config: unknown) => validateConfig(config).errors.map((e) => e.path)

describe('server secrets in a tool entry', () => {
  test('Meta’s access token in default fields, in an action, in a neoEvents action: each an error at its path', () => {
    const config = exported({
      fb: entry('facebook-pixel', {
        settings: { property: '123' },
        defaultFields: { accessToken: 'EAAB…' },
        actions: { a1: pageview({ accessToken: 'EAAB…' }) },
      }),
      fb2: entry('facebook-pixel', { settings: { property: '123' }, actions: undefined, neoEvents: [pageview({ access_token: 'EAAB…' })] }),
    })
    expect(paths(config)).toEqual(['tools.fb.defaultFields.accessToken', 'tools.fb.actions.a1.data.accessToken', 'tools.fb2.neoEvents[0].data.access_token'])
    const [first] = validateConfig(config).errors
    expect(first.message).toContain('Conversions API access token is a server secret')
    expect(first.message).toContain('every visitor could read it')
  })

  test('GA4’s Measurement Protocol API secret in an action’s data, in either spelling', () => {
    const config = exported({ ga: entry('google-analytics-4', { settings: { tid: 'G-1' }, actions: { a1: pageview({ apiSecret: 's3cr3t' }), a2: pageview({ api_secret: 's3cr3t' }) } }) })
    expect(paths(config)).toEqual(['tools.ga.actions.a1.data.apiSecret', 'tools.ga.actions.a2.data.api_secret'])
    expect(validateConfig(config).errors[0].message).toContain('Measurement Protocol API secret')
  })

  test('the same secrets for the same tools registered under other component names', () => {
    const config = exported({
      capi: entry('meta-capi', { settings: { property: '123', accessToken: 'EAAB…' } }),
      ga: entry('ga4-mp', { settings: { measurementId: 'G-1', apiSecret: 's3cr3t' } }),
    })
    expect(paths(config)).toEqual(['tools.capi.settings.accessToken', 'tools.ga.settings.apiSecret'])
  })

  test('other vendors’ server secrets: TikTok Events API, Pinterest Conversions API, an OAuth client secret, a header', () => {
    const config = exported({
      tt: entry('tiktok', { settings: { pixelCode: 'C1', accessToken: 'tok' } }),
      pin: entry('pinterest-conversion-api', { settings: { ad_account_id: '1', conversion_token: 'tok' } }),
      li: entry('linkedin-capi', { settings: { client_secret: 's' } }),
      h: entry('http-request', { defaultFields: { __setting_endpoint: '/e', headers: { 'Access-Token': 'tok' } } }),
    })
    expect(paths(config)).toEqual(['tools.tt.settings.accessToken', 'tools.pin.settings.conversion_token', 'tools.li.settings.client_secret', 'tools.h.defaultFields.headers.Access-Token'])
  })

  test('a disabled tool or action is refused too: its secret is in the config every visitor loads', () => {
    const config = exported({ fb: entry('facebook-pixel', { enabled: false, settings: { property: '1', accessToken: 'EAAB…' } }), ga: entry('google-analytics-4', { actions: { a1: { ...pageview({ apiSecret: 's' }), enabled: false } } }) })
    expect(paths(config)).toEqual(['tools.fb.settings.accessToken', 'tools.ga.actions.a1.data.apiSecret'])
  })

  test('empty secret fields (exports carry them) and names that only look alike are accepted', () => {
    const config = exported({
      fb: entry('facebook-pixel', { settings: { property: '1', accessToken: '', testKey: 'TEST123' } }),
      h: entry('http-request', { defaultFields: { __setting_endpoint: '/e', __secret: 'no', token_type: 'x', secretary: 'y', csrfToken: 'z' } }),
    })
    expect(validateConfig(config).errors).toEqual([])
  })

  test('the runtime stays inert: the console names the path and why, nothing is sent', async () => {
    const config = exported({ fb: entry('facebook-pixel', { settings: { property: '123' }, defaultFields: { accessToken: 'EAAB…' }, actions: { a1: pageview() } }) })
    const { zaraz, transport, console } = setup(config)
    expect(await zaraz.track('Pageview')).toEqual({ return: {} })
    expect(transport.requests).toEqual([])
    // The core reports ids; the words come with the config messages (here: `describe`).
    const { errors } = compileConfig(config)
    expect(errors).toEqual([{ path: 'tools.fb.defaultFields.accessToken', message: '#secret accessToken' }])
    expect(words(errors[0].message)).toContain('must not be in a browser config')
    expect(console.count('error')).toBe(1)
    expect(String(console.lines[0].args.join(' '))).toContain('tools.fb.defaultFields.accessToken')
  })
})

describe('secret variables', () => {
  const variables = { vTok: { name: 'CAPI token', type: 'secret', value: '' }, vCur: { name: 'Currency', type: 'string', value: 'EUR' } }

  test('a tool entry that reads one is an error for validateConfig, at the field that reads it', () => {
    const config = exported(
      {
        fb: entry('facebook-pixel', { settings: { property: '1' }, defaultFields: { token: '{{ variables.vTok }}', currency: '{{ variables.vCur }}' } }),
        h: entry('http-request', { actions: { a1: pageview({ auth: "{{ 'Bearer ' & variables.vTok }}" }) } }),
      },
      variables,
    )
    const { errors } = validateConfig(config)
    expect(errors.map((e) => e.path)).toEqual(['tools.fb.defaultFields.token', 'tools.h.actions.a1.data.auth'])
    expect(errors[0].message).toContain('reads the secret variable "vTok"')
  })

  test('the runtime leaves it empty, so nothing of it is sent', async () => {
    const config = exported({ h: entry('http-request', { defaultFields: { __setting_endpoint: 'https://collect.example/e', __setting_method: 'post-json', token: '{{ variables.vTok }}' }, actions: { a1: pageview() } }) }, {
      vTok: { name: 'CAPI token', type: 'secret', value: 'would-leak' },
    })
    const { zaraz, transport } = setup(config)
    await zaraz.track('Pageview')
    expect(transport.requests.map((r) => r.json)).toEqual([{ token: '' }])
  })
})
