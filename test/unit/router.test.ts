import { describe, expect, test } from 'vitest'
import { compileConfig } from '../../src/config/compile'
import { route } from '../../src/router/router'
import { explain as explainRoute } from '../../src/router/explain'
import type { ZarazConfig } from '../../src/types/config'

const system = { page: { url: { pathname: '/p' } } }

function dispatch(config: ZarazConfig, name: string, properties: Record<string, unknown> = {}, ecommerce = false, setValues: Record<string, unknown> = {}) {
  const { model, errors } = compileConfig(config)
  expect(errors).toEqual([])
  const client: Record<string, unknown> = { ...setValues, ...properties, __zarazTrack: name }
  if (ecommerce) client.__zarazEcommerce = true
  const input = { name, ecommerce, properties, scope: { client, system, variables: {} } }
  const fired = new Map<string, boolean>()
  const out = route(model!, input, fired)
  // Debug mode's explanation (the debugger chunk's), from the same trigger answers.
  const explain = explainRoute(model!, input, out, fired)
  return { out: out.map((d) => ({ tool: d.tool.id, type: d.type, name: d.name, payload: d.payload })), explain }
}

const auto = { pageview: true, track: true, ecommerce: true }

describe('automated actions', () => {
  const config: ZarazConfig = { settings: { ecommerce: true }, tools: { t: { component: 'c', automatedActions: auto } } }

  test('a Pageview goes to the pageview listener only', () => {
    expect(dispatch(config, 'Pageview').out).toEqual([{ tool: 't', type: 'pageview', name: 'Pageview', payload: {} }])
  })

  test('any other track goes to the event listener with its name and properties', () => {
    expect(dispatch(config, 'signup', { plan: 'pro' }).out).toEqual([{ tool: 't', type: 'event', name: 'signup', payload: { plan: 'pro' } }])
  })

  test('internal __zaraz names are not "other events"', () => {
    expect(dispatch(config, '__zarazSPA').out).toEqual([])
  })

  test('an e-commerce call goes to the ecommerce listener only, with its name as payload.name and its parameters under ecommerce', () => {
    expect(dispatch(config, 'Product Added', { product_id: 'p1' }, true).out).toEqual([
      { tool: 't', type: 'ecommerce', name: 'Product Added', payload: { name: 'Product Added', ecommerce: { product_id: 'p1' } } },
    ])
  })

  test('e-commerce needs the global switch and the tool switch', () => {
    const off = dispatch({ tools: { t: { component: 'c', automatedActions: auto } } }, 'Order Completed', {}, true)
    expect(off.out).toEqual([])
    expect(off.explain).toContainEqual({ tool: 't', sent: false, reason: 'e-commerce is off in settings.ecommerce' })
    const toolOff = dispatch({ settings: { ecommerce: true }, tools: { t: { component: 'c', automatedActions: { ...auto, ecommerce: false } } } }, 'Order Completed', {}, true)
    expect(toolOff.out).toEqual([])
    expect(toolOff.explain).toContainEqual({ tool: 't', sent: false, reason: 'e-commerce is off for this tool' })
    const viaSettings = dispatch({ settings: { ecommerce: true }, tools: { t: { component: 'c', settings: { ecommerce: true } } } }, 'Order Completed', {}, true)
    expect(viaSettings.out.map((d) => d.type)).toEqual(['ecommerce'])
  })

  test('zaraz.set values are event properties; e-commerce parameters are only the call’s own', () => {
    expect(dispatch(config, 'signup', { a: 1 }, false, { ab: 'B' }).out[0].payload).toEqual({ ab: 'B', a: 1 })
    expect(dispatch(config, 'Product Added', { a: 1 }, true, { ab: 'B' }).out[0].payload).toEqual({ name: 'Product Added', ecommerce: { a: 1 } })
  })
})

describe('actions and triggers', () => {
  const config: ZarazConfig = {
    triggers: {
      buy: { loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'buy' }] },
      big: { loadRules: [{ match: '{{ client.value }}', op: 'GREATER_THAN', value: '100' }] },
      internal: { loadRules: [{ match: '{{ system.page.url.pathname }}', op: 'STARTS_WITH', value: '/p' }], excludeRules: [{ match: '{{ client.force }}', op: 'EQUALS', value: 'yes' }] },
    },
    tools: {
      ads: {
        component: 'c',
        defaultFields: { account: 'A1', label: 'default' },
        actions: {
          conv: { actionType: 'conversion', firingTriggers: ['buy'], blockingTriggers: ['big'], data: { label: 'L-{{ client.value }}', v: '{{ client.value }}' } },
        },
      },
      blocked: { component: 'c', blockingTriggers: ['internal'], automatedActions: { track: true } },
    },
  }

  test('an action fires on its trigger, with default fields under action fields and templates resolved', () => {
    expect(dispatch(config, 'buy', { value: 50, force: 'yes' }).out).toEqual([
      { tool: 'ads', type: 'conversion', name: 'buy', payload: { account: 'A1', label: 'L-50', v: 50 } },
      { tool: 'blocked', type: 'event', name: 'buy', payload: { value: 50, force: 'yes' } },
    ])
  })

  test('an action with a blocking trigger does not fire when both match', () => {
    const r = dispatch(config, 'buy', { value: 500, force: 'yes' })
    expect(r.out.map((d) => d.tool)).toEqual(['blocked'])
    expect(r.explain).toContainEqual({ tool: 'ads', action: 'conv', sent: false, reason: 'blocking trigger "big" matched' })
  })

  test('a tool-level blocking trigger blocks every action of the tool; exclude rules un-match a trigger', () => {
    expect(dispatch(config, 'other', {}).out).toEqual([])
    expect(dispatch(config, 'other', { force: 'yes' }).out.map((d) => d.tool)).toEqual(['blocked'])
  })

  test('__includeEventProperties adds event properties over preset fields; __includeSystemProperties adds system', () => {
    const r = dispatch(
      { tools: { t: { component: 'c', actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { plan: 'preset', x: 1, __includeEventProperties: true, __includeSystemProperties: true } } } } } },
      'e',
      { plan: 'call' },
    )
    expect(r.out[0].payload).toEqual({ plan: 'call', x: 1, system })
  })

  test('__enrichPayload: "client" means the same as __includeEventProperties', () => {
    const r = dispatch({ tools: { t: { component: 'c', actions: { a: { actionType: 'event', firingTriggers: ['AllTracks'], data: { __enrichPayload: 'client', en: '{{ client.__zarazTrack }}' } } } } } }, 'e', { k: 1 })
    expect(r.out[0].payload).toEqual({ en: 'e', k: 1 })
  })

  test('debug mode explains each action with its own dispatch, even when two actions share an id (neoEvents, or an automated action next to an exported one of that id)', () => {
    const tools = {
      t: {
        component: 'c',
        neoEvents: [
          { actionId: 'x', actionType: 'pageview', firingTriggers: ['Pageview'], blockingTriggers: ['Pageview'], data: { n: 0 } },
          { actionId: 'x', actionType: 'pageview', firingTriggers: ['Pageview'], data: { n: 1 } },
          { actionId: 'x', actionType: 'event', firingTriggers: ['Pageview'], data: { n: 2 } },
        ],
      },
    }
    const { model } = compileConfig({ tools })
    const input = { name: 'Pageview', ecommerce: false, properties: {}, scope: { client: { __zarazTrack: 'Pageview' }, system, variables: {} } }
    const out = route(model!, input)
    const lines = explainRoute(model!, input, out)
    expect(lines.map((d) => [d.sent, d.type, d.payload])).toEqual([
      [false, undefined, undefined],
      [true, 'pageview', { n: 1 }],
      [true, 'event', { n: 2 }],
    ])
    expect(lines[0].reason).toBe('blocking trigger "Pageview" matched')
    // Each dispatch carries its own line, for the consent gate to amend.
    expect(out.map((d) => d.decision)).toEqual(lines.slice(1))
    expect(out[0].decision).not.toBe(out[1].decision)
  })

  test.each([
    ['EQUALS', 'abc', 'abc', true],
    ['EQUALS', 'abc', 'ABC', false],
    ['CONTAINS', 'abcdef', 'cd', true],
    ['STARTS_WITH', 'abc', 'ab', true],
    ['ENDS_WITH', 'abc', 'bc', true],
    ['MATCH_REGEX', 'order-12', '^order-\\d+$', true],
    ['NOT_MATCH_REGEX', 'order-12', '^x', true],
    ['GREATER_THAN', '10', '9', true],
    ['GREATER_THAN_OR_EQUAL', '9', '9', true],
    ['LESS_THAN', '2.5', '10', true],
    ['LESS_THAN_OR_EQUAL', 'abc', '10', false],
    ['GREATER_THAN', '', '-1', false],
  ])('%s compares %j with %j: %s', (op, actual, value, expected) => {
    const r = dispatch({ triggers: { t: { loadRules: [{ match: '{{ client.v }}', op: op as never, value }] } }, tools: { x: { component: 'c', actions: { a: { actionType: 'event', firingTriggers: ['t'] } } } } }, 'e', { v: actual })
    expect(r.out.length == 1).toBe(expected)
  })
})

describe('the routing index', () => {
  // A seeded generator, so a failure is reproducible.
  function rng(seed: number) {
    return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  }

  test('routing through the index gives exactly what checking every action gives', () => {
    const rand = rng(7)
    const names = ['a', 'b', 'c', 'Pageview', 'Order Completed']
    const triggers: ZarazConfig['triggers'] = {}
    for (let i = 0; i < 30; i++) {
      const pinned = rand() < 0.6
      triggers[`t${i}`] = {
        loadRules: [
          pinned
            ? { match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: names[Math.floor(rand() * names.length)] }
            : { match: '{{ client.v }}', op: 'GREATER_THAN', value: String(Math.floor(rand() * 10)) },
        ],
      }
    }
    const ids = Object.keys(triggers)
    const pick = () => ids[Math.floor(rand() * ids.length)]
    const tools: ZarazConfig['tools'] = {}
    for (let t = 0; t < 5; t++) {
      const actions: Record<string, { actionType: string; firingTriggers: string[]; blockingTriggers?: string[] }> = {}
      for (let a = 0; a < 8; a++) actions[`a${a}`] = { actionType: 'event', firingTriggers: [pick(), pick()], blockingTriggers: rand() < 0.3 ? [pick()] : [] }
      tools[`tool${t}`] = { component: 'c', actions, blockingTriggers: rand() < 0.2 ? [pick()] : [] }
    }
    const { model } = compileConfig({ triggers, tools })
    for (let e = 0; e < 200; e++) {
      const name = names[Math.floor(rand() * names.length)]
      const properties = { v: Math.floor(rand() * 12) }
      const input = { name, ecommerce: false, properties, scope: { client: { ...properties, __zarazTrack: name }, system, variables: {} } }
      const out = route(model!, input)
      const indexed = out.map((d) => `${d.tool.id}/${d.actionId}`)
      // Debug mode's explanation checks every action, each trigger afresh (its own answers): the
      // ones it finds a firing and no blocking trigger for, whether or not the router sent them.
      const full = explainRoute(model!, input, out)
        .filter((d) => d.reason.startsWith('firing trigger'))
        .map((d) => `${d.tool}/${d.action}`)
      expect(indexed).toEqual(full)
    }
  })

  test('an action pinned to one event name is not even looked at for other events', () => {
    const { model } = compileConfig({
      triggers: { buy: { loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'buy' }] } },
      tools: { t: { component: 'c', actions: { a: { actionType: 'event', firingTriggers: ['buy'] }, p: { actionType: 'pageview', firingTriggers: ['Pageview'] } } } },
    })
    expect(model!.index.byKey.get('buy')!.map((e) => e.action)).toEqual([0])
    expect(model!.index.byKey.get('Pageview')!.map((e) => e.action)).toEqual([1])
    expect(model!.index.always).toEqual([])
  })
})
