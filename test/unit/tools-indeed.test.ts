/** Indeed (`indeed`): the conversion pixel for `conversion` actions, as Zaraz's component sends it. */
import { beforeEach, describe, expect, test } from 'vitest'
import { resetPage } from './helpers'
import { how, runBuiltIn } from './run-built-in'

const conversion = (data: Record<string, unknown> = {}) => ({ c: { actionType: 'conversion', firingTriggers: ['AllTracks'], data } })
const run = (tool: Record<string, unknown> = {}) =>
  runBuiltIn('indeed', () => import('../../src/tools/indeed'), {
    settings: { conversion_id: '7654321' },
    actions: conversion(),
    ...tool,
  })

beforeEach(resetPage)

describe('Indeed', () => {
  test('a conversion action is a no-cors GET of /pagead/conv/<id>/?script=0 with the vendor cookies', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Applied', { job: 'j-1' })
    expect(transport.requests.map((r) => [...how(r), r.url])).toEqual([
      ['GET', 'https://conv.indeed.com/pagead/conv/7654321/', 'no-cors', 'include', 'https://conv.indeed.com/pagead/conv/7654321/?script=0'],
    ])
  })

  test("the action's conversion_id field overrides the setting; an empty one means the setting", async () => {
    const { zaraz, transport } = run({
      actions: { ...conversion({ conversion_id: '1111' }), e: { actionType: 'conversion', firingTriggers: ['AllTracks'], data: { conversion_id: '' } } },
    })
    await zaraz.track('Applied')
    expect(transport.requests.map((r) => r.url).sort()).toEqual(['https://conv.indeed.com/pagead/conv/1111/?script=0', 'https://conv.indeed.com/pagead/conv/7654321/?script=0'])
  })

  test('pageviews, other events and e-commerce send nothing (the tool listens for conversions only)', async () => {
    const { zaraz, transport } = run({ actions: undefined, settings: { conversion_id: '7654321', ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true } })
    await zaraz.track('Pageview')
    await zaraz.track('Signup')
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1', total: 10 })
    expect(transport.requests).toEqual([])
  })

  test('without a conversion id nothing is sent', async () => {
    const { zaraz, transport } = run({ settings: {} })
    await zaraz.track('Applied')
    expect(transport.requests).toEqual([])
  })
})
