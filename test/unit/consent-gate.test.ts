import { beforeEach, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'

beforeEach(resetPage)

const config = (enabled: boolean) => ({
  consent: { enabled, cookieName: 'my-consent' },
  tools: {
    ads: httpTool({ defaultPurpose: 'ads', defaultFields: { ...httpTool().defaultFields, tool: 'ads' } }),
    plain: httpTool({ defaultFields: { ...httpTool().defaultFields, tool: 'plain' } }),
  },
})
const tools = (t: { requests: Array<{ json?: unknown }> }) => t.requests.map((r) => (r.json as { tool: string }).tool).sort()

test('a tool with a purpose gets no event until the purpose is granted in the consent cookie', async () => {
  const { zaraz, transport } = setup(config(true))
  await zaraz.track('a')
  expect(tools(transport)).toEqual(['plain'])
  document.cookie = `my-consent=${encodeURIComponent(JSON.stringify({ ads: true }))}; path=/`
  await zaraz.track('b')
  expect(tools(transport)).toEqual(['ads', 'plain', 'plain'])
  document.cookie = `my-consent=${encodeURIComponent(JSON.stringify({ ads: false }))}; path=/`
  await zaraz.track('c')
  expect(tools(transport)).toEqual(['ads', 'plain', 'plain', 'plain'])
})

test('an unreadable consent cookie grants nothing', async () => {
  document.cookie = 'my-consent=%7Bnot-json; path=/'
  const { zaraz, transport } = setup(config(true))
  await zaraz.track('a')
  expect(tools(transport)).toEqual(['plain'])
})

test('with consent.enabled off every tool gets events', async () => {
  const { zaraz, transport } = setup(config(false))
  await zaraz.track('a')
  expect(tools(transport)).toEqual(['ads', 'plain'])
})

test('system.consent shows the current choices', async () => {
  document.cookie = `my-consent=${encodeURIComponent(JSON.stringify({ ads: true, analytics: false }))}; path=/`
  const { zaraz, transport } = setup({
    consent: { enabled: true, cookieName: 'my-consent' },
    tools: { t: httpTool({ defaultFields: { ...httpTool().defaultFields, c: '{{ system.consent }}' } }) },
  })
  await zaraz.track('a')
  expect(transport.requests[0].json).toMatchObject({ c: { ads: true, analytics: false } })
})
