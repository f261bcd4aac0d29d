import { beforeEach, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'

beforeEach(resetPage)

test('a track reaches the HTTP Request tool with its properties', async () => {
  const { zaraz, transport } = setup({ settings: { ecommerce: true }, tools: { c: httpTool() } })
  const r = await zaraz.track('signup', { plan: 'pro' })
  expect(r).toEqual({ return: {} })
  const [req] = await transport.waitFor(1)
  expect(req.json).toEqual({ event: 'signup', plan: 'pro' })
})
