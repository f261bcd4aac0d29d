/** iHire (`iHire`): the apply pixel on pageviews and events, as Zaraz's component sends it. */
import { beforeEach, describe, expect, test } from 'vitest'
import { resetPage } from './helpers'
import { how, runBuiltIn } from './run-built-in'

const PIXEL = 'https://api.ihire.com/v1/track/apply-ih-4711.gif'
const run = (tool: Record<string, unknown> = {}) =>
  runBuiltIn('iHire', () => import('../../src/tools/iHire'), {
    settings: { id: 'ih-4711' },
    automatedActions: { pageview: true, track: true },
    ...tool,
  })

beforeEach(resetPage)

describe('iHire', () => {
  test('a pageview is a no-cors GET of apply-<id>.gif with the vendor cookies and no parameters', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests.map((r) => [...how(r), r.url])).toEqual([['GET', PIXEL, 'no-cors', 'include', PIXEL]])
  })

  test('every other event sends the same pixel', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Signup', { plan: 'pro' })
    await zaraz.track('Apply')
    expect(transport.requests.map((r) => r.url)).toEqual([PIXEL, PIXEL])
  })

  test('the permission Zaraz exports for it (client_network_requests) is enough', async () => {
    const { zaraz, transport } = run({ permissions: ['client_network_requests'] })
    await zaraz.track('Pageview')
    expect(transport.requests).toHaveLength(1)
  })

  test('without an account id nothing is sent', async () => {
    const { zaraz, transport } = run({ settings: {} })
    await zaraz.track('Pageview')
    expect(transport.requests).toEqual([])
  })

  test('an id with URL characters stays inside the file name', async () => {
    const { zaraz, transport } = run({ settings: { id: 'a/b?c' } })
    await zaraz.track('Pageview')
    expect(transport.requests[0].url).toBe('https://api.ihire.com/v1/track/apply-a%2Fb%3Fc.gif')
  })
})
