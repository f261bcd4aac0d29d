// A site build's config is compiled at build time and written down as data (src/cli/compiled-config.ts);
// its core links that data (src/config/link.ts) instead of compiling the config. The linked model
// must route and fill payloads exactly as the model compiled in the browser does.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { compileConfig } from '../../src/config/compile'
import { linkConfig } from '../../src/config/link'
import { compileAtBuildTime } from '../../src/cli/compiled-config'
import { compileExpression } from '../../src/expressions/index'
import { compileMarkup } from '../../src/autoescape/index'
import { triggerMatches } from '../../src/router/triggers'
import type { TemplateScope } from '../../src/router/template'
import type { Model } from '../../src/config/model'

const example = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../examples/config', name), 'utf8'))
const options = { expression: compileExpression, escape: compileMarkup }

const scope = (client: Record<string, unknown>, pathname = '/'): TemplateScope => ({
  client,
  system: { page: { url: { pathname } }, cookies: { staff: '0' } },
  variables: { vCur: 'EUR', vLbl: 'order-7' },
})
const SCOPES = [
  scope({ __zarazTrack: 'Pageview' }),
  scope({ __zarazTrack: 'Pageview' }, '/blog/a/b'),
  scope({ __zarazTrack: 'Pageview' }, '/blog/drafts/x'),
  scope({ __zarazTrack: 'purchase', value: '150', order_id: 'a&b' }),
  scope({ __zarazTrack: 'purchase', value: 20, order_id: '<x>' }),
  scope({ __zarazTrack: 'signup', plan: 'pro' }),
  scope({ __zarazTrack: '__zarazClientTrigger', __zarazClientTriggerId: 'cTa1', element: { href: '/offer' } }),
  scope({ __zarazTrack: 'Order Completed', __zarazEcommerce: true }),
]

/** What a model does with events: which triggers match, every template's value, the index and the plain parts. */
const behaviour = (m: Model) => ({
  index: m.index,
  triggers: [...m.triggers.values()].map((t) => [t.id, t.key, SCOPES.map((s) => triggerMatches(t, s))]),
  tools: m.tools.map((t) => ({
    ...t,
    settingsTemplate: SCOPES.map((s) => t.settingsTemplate!(s)),
    defaultFields: SCOPES.map((s) => t.defaultFields(s)),
    actions: t.actions.map((a) => ({ ...a, fields: SCOPES.map((s) => a.fields(s)) })),
  })),
  variables: Object.entries(m.variables).map(([id, v]) => [id, SCOPES.map((s) => v(s))]),
  rest: [m.ecommerce, m.privacy, m.cookieDomain, m.needsUserAgent, m.pageRules],
})

test.each(['zaraz-export.json', 'typical.json'])('%s: the model linked from build-time data behaves as the one compiled in the browser', (name) => {
  const config = example(name)
  const { compiled } = compileAtBuildTime(config)
  // (As the site build writes it: JSON.)
  const linked = linkConfig(JSON.parse(JSON.stringify(compiled)), options)
  expect(linked.errors).toEqual([])
  expect(behaviour(linked.model!)).toEqual(behaviour(compileConfig(config, options).model!))
})

test('without the expression engine or the escaper, linking says it needs them, as compiling does', () => {
  const config = example('zaraz-export.json')
  const linked = linkConfig(JSON.parse(JSON.stringify(compileAtBuildTime(config).compiled)))
  const compiled = compileConfig(config)
  expect([linked.needsExpressions, linked.needsEscaper]).toEqual([true, true])
  expect([compiled.needsExpressions, compiled.needsEscaper]).toEqual([true, true])
})

test('the runtime keeps only what it reads of the config besides the model', () => {
  const { runtime } = compileAtBuildTime(example('zaraz-export.json'))
  expect(runtime).toEqual({ consent: { enabled: false }, debugKey: 'kX2pQ9', historyChange: true, dataLayer: true, settings: { cookieDomain: 'shop.example' } })
})
