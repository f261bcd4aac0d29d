import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import Ajv2020 from 'ajv/dist/2020'
import { validateConfig } from '../../src/config/validate'

// config.schema.json (exported as `tagrelay/config.schema.json`, for editors through "$schema")
// against validateConfig: the schema accepts the example configs and rejects what validateConfig
// rejects for its shape (the semantic checks, such as unknown trigger ids, stay validateConfig's).
const root = join(__dirname, '../..')
const schema = JSON.parse(readFileSync(join(root, 'config.schema.json'), 'utf8'))
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema)
const examples = readdirSync(join(root, 'examples/config')).filter((f) => f.endsWith('.json'))

/** Configs validateConfig refuses for their shape, each with the path of its error (src/config/compile.ts, src/router/triggers.ts, src/consent/settings.ts). */
const STRUCTURAL: Array<[string, unknown]> = [
  ['', 'not an object'],
  ['', ['an', 'array']],
  ['', null],
  ['triggers', []],
  ['variables', 'x'],
  ['tools', null],
  ['settings', 1],
  ['triggers.t', { triggers: { t: 'not a trigger' } }],
  ['triggers.t.loadRules', { triggers: { t: { loadRules: 'nope' } } }],
  ['triggers.t.excludeRules', { triggers: { t: { loadRules: [], excludeRules: {} } } }],
  ['triggers.t.loadRules[0]', { triggers: { t: { loadRules: [null] } } }],
  ['triggers.t.loadRules[0].match', { triggers: { t: { loadRules: [{ match: 1, op: 'EQUALS', value: 'a' }] } } }],
  ['triggers.t.loadRules[0].op', { triggers: { t: { loadRules: [{ match: '{{ client.x }}', op: 'LIKE', value: 'a' }] } } }],
  ['triggers.t.loadRules[0].op', { triggers: { t: { loadRules: [{ match: '{{ client.x }}', value: 'a' }] } } }],
  ['triggers.t.loadRules[0].action', { triggers: { t: { loadRules: [{ action: 'hover', settings: {} }] } } }],
  ['variables.v', { variables: { v: 'EUR' } }],
  ['tools.t', { tools: { t: 'not a tool' } }],
  ['tools.t.component', { tools: { t: { actions: {} } } }],
  ['tools.t.component', { tools: { t: { component: '' } } }],
  ['tools.t.component', { tools: { t: { component: 7 } } }],
  ['tools.t.blockingTriggers', { tools: { t: { component: 'c', blockingTriggers: 'Pageview' } } }],
  ['tools.t.actions', { tools: { t: { component: 'c', actions: [] } } }],
  ['tools.t.actions.a', { tools: { t: { component: 'c', actions: { a: 'event' } } } }],
  ['tools.t.actions.a.actionType', { tools: { t: { component: 'c', actions: { a: { firingTriggers: ['Pageview'] } } } } }],
  ['tools.t.actions.a.firingTriggers', { tools: { t: { component: 'c', actions: { a: { actionType: 'event', firingTriggers: 'Pageview' } } } } }],
  ['tools.t.actions.a.data', { tools: { t: { component: 'c', actions: { a: { actionType: 'event', data: 'x' } } } } }],
  ['tools.t.actions.0.actionType', { tools: { t: { component: 'c', neoEvents: [{ firingTriggers: ['Pageview'] }] } } }],
  ['tools.t.automatedActions', { tools: { t: { component: 'c', automatedActions: true } } }],
  ['tools.t.automatedActions.click', { tools: { t: { component: 'c', automatedActions: { click: true } } } }],
  ['tools.t.automatedActions.track', { tools: { t: { component: 'c', automatedActions: { track: 'yes' } } } }],
  ['tools.t.permissions', { tools: { t: { component: 'c', permissions: 'access_client_kv' } } }],
  ['tools.t.permissions', { tools: { t: { component: 'c', permissions: [1] } } }],
  ['tools.t.defaultFields', { tools: { t: { component: 'c', defaultFields: [] } } }],
  ['tools.t.settings', { tools: { t: { component: 'c', settings: 'x' } } }],
  ['consent.tcfPurposes', { consent: { enabled: true, purposes: { p: { name: 'P' } }, tcfPurposes: [1] } }],
  ['consent.tcfPurposes.p', { consent: { enabled: true, purposes: { p: { name: 'P' } }, tcfPurposes: { p: [12] } } }],
  ['consent.googleConsentMode.p', { consent: { enabled: true, purposes: { p: { name: 'P' } }, googleConsentMode: { p: ['ads'] } } }],
]

/** Sections written as a bare value stand for `{ [section]: value }`. */
const configOf = (path: string, value: unknown) => (['triggers', 'variables', 'tools', 'settings'].includes(path) ? { [path]: value } : value)

describe('config.schema.json', () => {
  test('is a valid draft 2020-12 schema (ajv in strict mode compiled it)', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(typeof validate).toBe('function')
  })

  test.each(examples)('accepts examples/config/%s, which validateConfig accepts', (file) => {
    const config = JSON.parse(readFileSync(join(root, 'examples/config', file), 'utf8'))
    expect(validateConfig(config).errors).toEqual([])
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true)
  })

  test.each(STRUCTURAL)('rejects what validateConfig rejects at %s', (path, value) => {
    const config = configOf(path, value)
    const errors = validateConfig(config).errors.map((e) => e.path)
    expect(errors).toContain(path)
    expect(validate(config)).toBe(false)
  })

  test('a top-level "$schema" key is accepted by both', () => {
    const config = { $schema: './node_modules/tagrelay/config.schema.json', tools: { t: { component: 'http-request' } } }
    expect(validateConfig(config)).toEqual({ errors: [], warnings: [] })
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true)
  })

  test('accepts what validateConfig leaves unchecked: disabled tools and actions, neoEvents beside actions, bridge mappings with consent off', () => {
    const config = {
      tools: {
        off: { enabled: false, actions: 'never read' },
        t: { component: 'c', actions: { a: { enabled: false, data: 'never read' } }, neoEvents: ['ignored beside actions'] },
      },
      consent: { purposes: { p: { name: 'P' } }, tcfPurposes: { p: [12] } },
    }
    expect(validateConfig(config).errors).toEqual([])
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true)
  })
})
