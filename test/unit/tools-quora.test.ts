/**
 * Quora Pixel (`quora`): the exact requests, with a fixed clock (1,700,000,000,000 ms). Expected
 * values are written out from the official component's facts (docs/tools/quora.md), not computed
 * with the tool's code.
 */
import { beforeEach, describe, expect, test } from 'vitest'
import type { RecordedRequest } from '../../src/testing/index'
import { resetPage, setup } from './helpers'
import { pairs, base } from './run-built-in'

const T = 1_700_000_000_000
const ENDPOINT = 'https://q.quora.com/_/ad/0a1b2c3d4e5f/pixel'
/** sha256("jane@example.com") */
const JANE = '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d'

beforeEach(resetPage)

const params = (r: RecordedRequest) => Object.fromEntries(pairs(r))

function run(extra: Record<string, unknown> = {}) {
  const tool = { type: 'component', component: 'quora', permissions: ['client_network_requests'], settings: { pixelId: '0a1b2c3d4e5f' }, automatedActions: { pageview: true, track: true }, ...extra }
  return setup({ tools: { q: tool } })
}

describe('Quora Pixel', () => {
  test('a pageview is a no-cors GET to the pixel’s URL: the page, tag=ViewContent, the time, j=1', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
    const [r] = transport.requests
    expect([r.method ?? 'GET', base(r), r.mode, r.credentials]).toEqual(['GET', ENDPOINT, 'no-cors', 'include'])
    expect(pairs(r)).toEqual([
      ['u', location.href],
      ['tag', 'ViewContent'],
      ['ts', String(T)],
      ['j', '1'],
    ])
  })

  test('an event is tagged with its en field: the event name with the exported automated action', async () => {
    const { zaraz, transport } = run({
      automatedActions: undefined,
      actions: {
        all: { actionType: 'event', firingTriggers: ['AllTracks'], data: { __enrichPayload: 'client', en: '{{ client.__zarazTrack }}' } },
        buy: { actionType: 'event', firingTriggers: ['AllTracks'], data: { en: 'Purchase' } },
      },
    })
    await zaraz.track('Signup', { plan: 'pro' })
    expect(transport.requests.map((r) => params(r).tag).sort()).toEqual(['Purchase', 'Signup'])
    // Other fields are not Quora parameters.
    expect(pairs(transport.requests[0]).map(([k]) => k)).toEqual(['u', 'tag', 'ts', 'j'])
  })

  test('an email field is sent as em, its SHA-256, never in clear', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { email: ' Jane@Example.com ' })
    expect(pairs(transport.requests[0])).toEqual([
      ['u', location.href],
      ['tag', 'Signup'],
      ['ts', String(T)],
      ['j', '1'],
      ['em', JANE],
    ])
    expect(transport.requests[0].url.toLowerCase()).not.toContain('example')
  })

  test('an email that already is a SHA-256 digest is sent as it is', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { email: JANE.toUpperCase() })
    expect(params(transport.requests[0]).em).toBe(JANE)
  })

  test('without a pixelId nothing is sent', async () => {
    const { zaraz, transport } = run({ settings: {} })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })

  test('hits leave in event order while one waits for its hash', async () => {
    const { zaraz, transport } = run()
    await Promise.all([zaraz.track('first', { email: 'jane@example.com' }), zaraz.track('second')])
    await transport.waitFor(2)
    expect(transport.requests.map((r) => params(r).tag)).toEqual(['first', 'second'])
  })

  test('e-commerce calls send nothing (the official component has no e-commerce listener)', async () => {
    const { zaraz, transport } = setup({ settings: { ecommerce: true }, tools: { q: { component: 'quora', settings: { pixelId: '0a1b2c3d4e5f', ecommerce: true }, automatedActions: { ecommerce: true } } } })
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1', total: 10 })
    expect(transport.requests).toEqual([])
  })
})
