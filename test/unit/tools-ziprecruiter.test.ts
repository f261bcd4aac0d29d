/** ZipRecruiter (`ziprecruiter`): the conversion pixel on pageviews, as Zaraz's component sends it. */
import { beforeEach, describe, expect, test } from 'vitest'
import { resetPage } from './helpers'
import { how, pairs, runBuiltIn } from './run-built-in'

const PIXEL = 'https://track.ziprecruiter.com/conversion'
const run = (tool: Record<string, unknown> = {}) =>
  runBuiltIn('ziprecruiter', () => import('../../src/tools/ziprecruiter'), {
    settings: { enc_account_id: 'zr-abc123' },
    automatedActions: { pageview: true, track: true, ecommerce: true },
    ...tool,
  })

beforeEach(resetPage)

describe('ZipRecruiter', () => {
  test('a pageview is a no-cors GET of /conversion with the account id, carrying the vendor cookies', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(transport.requests.map(how)).toEqual([['GET', PIXEL, 'no-cors', 'include']])
    expect(pairs(transport.requests[0])).toEqual([['enc_account_id', 'zr-abc123']])
  })

  test('every setting, then every action field, is a query parameter; a field replaces the setting of its name', async () => {
    const { zaraz, transport } = run({
      automatedActions: undefined,
      settings: { enc_account_id: 'zr-abc123', ecommerce: true },
      actions: { p: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { __zaraz_setting_name: 'Applied', job: '{{ system.page.query.job }}', ecommerce: 'no' } } },
    })
    history.replaceState({}, '', '/thanks?job=j-42')
    await zaraz.track('Pageview')
    expect(pairs(transport.requests[0])).toEqual([
      ['enc_account_id', 'zr-abc123'],
      ['ecommerce', 'no'],
      ['job', 'j-42'],
    ])
    history.replaceState({}, '', '/')
  })

  test('an empty field is sent empty; an object field as JSON', async () => {
    const { zaraz, transport } = run({
      automatedActions: undefined,
      actions: { p: { actionType: 'pageview', firingTriggers: ['Pageview'], data: { source: '', __includeEventProperties: true } } },
    })
    await zaraz.track('Pageview', { job: { id: 'j-1' } })
    expect(pairs(transport.requests[0])).toEqual([
      ['enc_account_id', 'zr-abc123'],
      ['source', ''],
      ['job', '{"id":"j-1"}'],
    ])
  })

  test('other events and e-commerce send nothing (the tool listens for pageviews only)', async () => {
    const { zaraz, transport } = run({ settings: { enc_account_id: 'zr-abc123', ecommerce: true } })
    await zaraz.track('Signup', { plan: 'pro' })
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1', total: 10 })
    expect(transport.requests).toEqual([])
  })
})
