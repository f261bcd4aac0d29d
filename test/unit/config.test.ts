import { describe, expect, test } from 'vitest'
import { compileConfig, validateConfig } from '../../src/config/compile'

const paths = (config: unknown) => validateConfig(config).errors.map((e) => `${e.path}: ${e.message}`)

describe('config validation', () => {
  test('an empty config is valid', () => {
    expect(validateConfig({})).toEqual({ errors: [], warnings: [] })
  })

  test('every problem is reported with its JSON path', () => {
    const errors = paths({
      triggers: {
        t1: { loadRules: [{ match: '{{ client.x }}', op: 'LIKE', value: 'a' }] },
        t2: { loadRules: [{ match: '{{ client.x }}', op: 'MATCH_REGEX', value: '(' }] },
        t3: { loadRules: 'nope' },
      },
      tools: {
        ga4: {
          component: 'http-request',
          actions: {
            a1: { actionType: 'event', firingTriggers: ['x'] },
            a2: { firingTriggers: ['Pageview'] },
            a3: { actionType: 'event', firingTriggers: ['Pageview'], data: { f: '{{ client.a * 2 }}' } },
          },
          blockingTriggers: ['gone'],
        },
        broken: 'not an object',
        nocomp: { actions: {} },
      },
    })
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^triggers\.t1\.loadRules\[0\]\.op: unknown operator "LIKE"/),
        expect.stringMatching(/^triggers\.t2\.loadRules\[0\]\.value: invalid regular expression/),
        'triggers.t3.loadRules: expected an array of rules',
        'tools.ga4.actions.a1.firingTriggers[0]: unknown trigger "x"',
        expect.stringMatching(/^tools\.ga4\.actions\.a2\.actionType: expected the listener type/),
        expect.stringMatching(/^tools\.ga4\.actions\.a3\.data\.f: cannot evaluate/),
        'tools.ga4.blockingTriggers[0]: unknown trigger "gone"',
        'tools.broken: expected a tool object',
        expect.stringMatching(/^tools\.nocomp\.component: expected the name of a component/),
      ]),
    )
    expect(errors).toHaveLength(9)
  })

  test('edge-only features are accepted and reported as warnings', () => {
    const { errors, warnings } = validateConfig({
      settings: { contextEnricher: { escapedWorkerName: 'x' }, mcRootPath: '/mc', ecommerce: true },
      variables: { w: { name: 'W', type: 'worker', value: { escapedWorkerName: 'w' } }, s: { name: 'S', type: 'secret', value: 'x' } },
      triggers: { click: { loadRules: [{ action: 'clickListener', settings: { selector: '#b', type: 'css', waitForTags: 0 } }] } },
    })
    expect(errors).toEqual([])
    expect(warnings.map((w) => w.path)).toEqual(
      expect.arrayContaining(['settings.contextEnricher', 'settings.mcRootPath', 'variables.w.type', 'variables.s.type', 'triggers.click.loadRules[0].action']),
    )
  })

  test('the automated-actions shorthand expands to pageview and event actions', () => {
    const { model } = compileConfig({ tools: { t: { component: 'c', automatedActions: { pageview: true, track: true, ecommerce: true } } } })
    const tool = model!.tools[0]
    expect(tool.actions.map((a) => [a.type, a.firing])).toEqual([
      ['pageview', ['Pageview']],
      ['event', ['AllTracks']],
    ])
    expect(tool.ecommerce).toBe(true)
  })

  test('a present automatedActions key replaces the exported automated action and settings.ecommerce', () => {
    const { model } = compileConfig({
      tools: {
        t: {
          component: 'c',
          settings: { ecommerce: true },
          actions: {
            exported: { actionType: 'pageview', firingTriggers: ['Pageview'] },
            custom: { actionType: 'conversion', firingTriggers: ['Pageview'] },
          },
          automatedActions: { pageview: false, ecommerce: false },
        },
      },
    })
    const tool = model!.tools[0]
    expect(tool.actions.map((a) => a.id)).toEqual(['custom'])
    expect(tool.ecommerce).toBe(false)
  })

  test('disabled tools and actions are left out', () => {
    const { model } = compileConfig({
      tools: {
        off: { component: 'c', enabled: false, actions: { a: { actionType: 'event', firingTriggers: ['nope'] } } },
        on: { component: 'c', actions: { a: { actionType: 'event', firingTriggers: ['Pageview'], enabled: false } } },
      },
    })
    expect(model!.tools.map((t) => t.id)).toEqual(['on'])
    expect(model!.tools[0].actions).toEqual([])
  })

  test('deprecated neoEvents arrays load when actions are absent', () => {
    const { model } = compileConfig({ tools: { t: { component: 'c', neoEvents: [{ actionType: 'pageview', firingTriggers: ['Pageview'] }] } } })
    expect(model!.tools[0].actions.map((a) => a.type)).toEqual(['pageview'])
  })

  test('built-in Pageview and AllTracks triggers exist even when the config omits them', () => {
    const { model } = compileConfig({})
    expect([...model!.triggers.keys()]).toEqual(['Pageview', 'AllTracks'])
  })

  test('the user-agent parser is needed only when a template or payload can read it', () => {
    expect(compileConfig({ tools: { t: { component: 'c' } } }).model!.needsUserAgent).toBe(false)
    expect(compileConfig({ tools: { t: { component: 'c', defaultFields: { b: '{{ system.device.user-agent.browser.name }}' } } } }).model!.needsUserAgent).toBe(true)
    expect(compileConfig({ tools: { t: { component: 'c', defaultFields: { __includeSystemProperties: true } } } }).model!.needsUserAgent).toBe(true)
  })

  test('a real Zaraz export loads', () => {
    const exported = {
      zarazVersion: 43,
      debugKey: 'abc',
      dataLayer: true,
      historyChange: true,
      settings: { autoInjectScript: true, ecommerce: true, hideExternalReferer: false, hideIPAddress: true, hideQueryParams: false, hideUserAgent: false, initPath: '/cdn-cgi/zaraz/i.js', scriptPath: '/cdn-cgi/zaraz/s.js', trackPath: '/cdn-cgi/zaraz/t' },
      triggers: {
        Pageview: { name: 'Pageview', description: 'All page loads', system: 'pageload', loadRules: [{ id: 'r1', match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'Pageview' }], excludeRules: [] },
      },
      variables: {},
      tools: {
        aBcD: {
          type: 'component',
          component: 'google-analytics-4',
          name: 'GA4',
          enabled: true,
          permissions: ['access_client_kv'],
          settings: { tid: 'G-XXXX', ecommerce: true },
          defaultFields: {},
          actions: { x1: { actionType: 'pageview', blockingTriggers: [], firingTriggers: ['Pageview'], data: { __zaraz_setting_name: 'Page view' } } },
          defaultPurpose: 'p1',
          vendorName: 'Google',
        },
      },
      consent: { enabled: false },
    }
    const { model, errors } = compileConfig(exported)
    expect(errors).toEqual([])
    expect(model!.historyChange).toBe(true)
    expect(model!.tools[0]).toMatchObject({ id: 'aBcD', component: 'google-analytics-4', purpose: 'p1', ecommerce: true })
  })
})
