import { describe, expect, test } from 'vitest'
import { compileConfig } from '../../src/config/compile'
import { validateConfig } from '../../src/config/validate'
import { httpTool, resetPage, setupWithLoad } from './helpers'

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
            a3: { actionType: 'event', firingTriggers: ['Pageview'], data: { f: '{{ client.a * }}' } },
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
    })
    expect(errors).toEqual([])
    expect(warnings.map((w) => w.path)).toEqual(
      expect.arrayContaining(['settings.contextEnricher', 'settings.mcRootPath', 'variables.w.type', 'variables.s.type']),
    )
  })

  test('in debug mode the runtime logs the warnings (found by the debugger chunk) and still starts', async () => {
    resetPage()
    document.cookie = 'zarazDebug=k; path=/'
    const { zaraz, console } = setupWithLoad(
      { debugKey: 'k', settings: { trackPath: '/t' }, variables: { w: { name: 'W', type: 'worker', value: {} } } },
      (name) => (name == 'debugger' ? import('../../src/debug/index') : Promise.reject(new Error(name))),
    )
    await zaraz.track('x')
    const warned = console.lines.filter((l) => l.level == 'warn').map((l) => l.args.join(' '))
    expect(warned).toEqual([
      "[tagrelay] config warnings:\nvariables.w.type: worker variables only exist at Cloudflare's edge; {{ variables.w }} is empty here\nsettings.trackPath: only meaningful at Cloudflare's edge; ignored in the browser",
    ])
    expect(console.count('error')).toBe(0)
    document.getElementById('tagrelay-debugger')?.remove()
    resetPage()
  })

  test('in debug mode without the debugger file the console still gets the tool notes, as ids', async () => {
    resetPage()
    document.cookie = 'zarazDebug=k; path=/'
    const { zaraz, console } = setupWithLoad({ debugKey: 'k', tools: { c: httpTool() } }, (name) => Promise.reject(new Error(name)))
    await zaraz.track('x')
    const info = console.lines.filter((l) => l.level == 'info').map((l) => l.args.join(' '))
    expect(info).toContain('[tagrelay] tool "c": #hold\nhttp-request\n1')
    resetPage()
  })

  test('page rules are checked: selectors, XPath, numbers, positions, one page rule per trigger', () => {
    const rule = (action: string, settings: Record<string, unknown>) => ({ loadRules: [{ action, settings }] })
    const errors = paths({
      triggers: {
        css: rule('clickListener', { selector: 'div[', type: 'css' }),
        xpath: rule('clickListener', { selector: '//div[', type: 'xpath' }),
        kind: rule('clickListener', { selector: '#a', type: 'jquery' }),
        wait: rule('clickListener', { selector: '#a', waitForTags: -5 }),
        form: rule('formSubmission', {}),
        timer: rule('timer', { interval: 0 }),
        scroll: rule('scrollDepth', { positions: '25%,half' }),
        visible: rule('elementVisibility', { selector: '' }),
        variable: rule('variableMatch', { match: 'x' }),
        unknown: rule('hover', {}),
        two: { loadRules: [{ action: 'timer', settings: { interval: 1000 } }, { action: 'timer', settings: { interval: 2000 } }] },
        fine: rule('clickListener', { selector: 'a.buy, #x > span', type: 'css', waitForTags: 300 }),
      },
    })
    expect(errors).toEqual([
      'triggers.css.loadRules[0].settings.selector: invalid CSS selector "div["',
      'triggers.xpath.loadRules[0].settings.selector: invalid XPath expression "//div["',
      'triggers.kind.loadRules[0].settings.type: expected "css" or "xpath"',
      'triggers.wait.loadRules[0].settings.waitForTags: expected a number of at least 0, got -5',
      'triggers.form.loadRules[0].settings.selector: expected a selector',
      'triggers.timer.loadRules[0].settings.interval: expected a number of at least 1, got 0',
      'triggers.scroll.loadRules[0].settings.positions: "half" is not a position (use a number with % or px)',
      'triggers.visible.loadRules[0].settings.selector: expected a selector',
      'triggers.variable.loadRules[0].settings.variable: expected the zaraz.set key to watch',
      expect.stringMatching(/^triggers\.unknown\.loadRules\[0\]\.action: unknown rule "hover"/),
      expect.stringMatching(/^triggers\.two\.loadRules\[1\]\.action: a trigger can hold one page rule/),
    ])
  })

  test('templates beyond paths ask for the expression engine instead of failing', () => {
    const r = compileConfig({ tools: { t: { component: 'c', defaultFields: { a: '{{ $lowercase(client.x) }}' } } } })
    expect(r.errors).toEqual([])
    expect(r.needsExpressions).toBe(true)
    expect(compileConfig({ tools: { t: { component: 'c', defaultFields: { a: '{{ client.x }}' } } } }).needsExpressions).toBe(false)
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
    // "true" as text adds system too (as __includeEventProperties: "true" adds the properties).
    expect(compileConfig({ tools: { t: { component: 'c', defaultFields: { __includeSystemProperties: 'true' } } } }).model!.needsUserAgent).toBe(true)
    expect(compileConfig({ tools: { t: { component: 'c', defaultFields: { __includeSystemProperties: false } } } }).model!.needsUserAgent).toBe(false)
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
    // Its top-level switches are read (historyChange and dataLayer by the runtime itself, from the
    // start: history.test.ts, data-layer.test.ts).
    expect(model).toMatchObject({ ecommerce: true })
    expect(model!.tools[0]).toMatchObject({ id: 'aBcD', component: 'google-analytics-4', purpose: 'p1', ecommerce: true })
  })

  test('settings.cookieDomain: a domain is kept; "" (no domain set) means the registrable domain, as for the consent cookie', () => {
    expect(compileConfig({ settings: { cookieDomain: 'example.com' } }).model!.cookieDomain).toBe('example.com')
    expect(compileConfig({ settings: { cookieDomain: '' } }).model!.cookieDomain).toBeUndefined()
    expect(compileConfig({ settings: {} }).model!.cookieDomain).toBeUndefined()
  })
})

describe('consent in the config', () => {
  const config = (enabled: boolean) => ({
    consent: { enabled, purposes: { ads: { name: 'Ads', description: 'Ads', order: 1 } }, tcfPurposes: { nope: [1] } },
    tools: { t: { component: 'c', defaultPurpose: 'analytics' } },
  })
  test('a tool naming an unknown purpose and a bad bridge mapping are errors when consent is on', () => {
    expect(paths(config(true))).toEqual([
      'tools.t.defaultPurpose: unknown purpose "analytics" (not in consent.purposes or consent.purposesWithTranslations)',
      'consent.tcfPurposes.nope: unknown purpose "nope"',
    ])
  })
  test('and warnings when it is off', () => {
    const { errors, warnings } = validateConfig(config(false))
    expect(errors).toEqual([])
    expect(warnings.map((w) => w.path)).toEqual(['tools.t.defaultPurpose', 'consent.tcfPurposes.nope'])
  })
})
