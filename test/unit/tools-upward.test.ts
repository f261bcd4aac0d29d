/** Upward (`upward`): tid kept from the landing URL, the conversion GET for events, as Zaraz's component sends it (from its servers). */
import { describe, expect, test } from 'vitest'
import { how, pairs, runBuiltIn, freshPageEachTest } from './run-built-in'

const CONVERT = 'https://www.upward.net/search/u_convert.fsn'
const run = (tool: Record<string, unknown> = {}) =>
  runBuiltIn('upward', () => import('../../src/tools/upward'), {
    permissions: ['server_network_requests', 'access_client_kv'],
    actions: {
      pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} },
      cv: { actionType: 'event', firingTriggers: ['AllTracks'], data: { aid: '4411', amount: '{{ client.value }}' } },
    },
    ...tool,
  })

freshPageEachTest()

describe('Upward', () => {
  test('an event is a GET of u_convert.fsn with the action fields, without the visitor cookies', async () => {
    const { zaraz, transport } = run()
    await zaraz.track('Applied', { value: 12 })
    expect(transport.requests.map(how)).toEqual([['GET', CONVERT, 'no-cors', 'omit']])
    expect(pairs(transport.requests[0])).toEqual([
      ['aid', '4411'],
      ['amount', '12'],
    ])
  })

  test('tid in a landing URL is kept and sent as tid with every later event, on later pages too', async () => {
    history.replaceState({}, '', '/jobs?tid=up-click-9')
    const a = run()
    await a.zaraz.track('Pageview')
    expect(a.transport.requests).toEqual([])
    history.replaceState({}, '', '/apply')
    const b = run()
    await b.zaraz.track('Pageview')
    await b.zaraz.track('Applied', { value: 3 })
    expect(pairs(b.transport.requests[0])).toEqual([
      ['aid', '4411'],
      ['amount', '3'],
      ['tid', 'up-click-9'],
    ])
  })

  test('the kept tid replaces a tid field; a field left empty is not sent', async () => {
    history.replaceState({}, '', '/jobs?tid=kept')
    const { zaraz, transport } = run({
      actions: {
        pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} },
        cv: { actionType: 'event', firingTriggers: ['AllTracks'], data: { tid: 'field', aid: '4411', note: '' } },
      },
    })
    await zaraz.track('Pageview')
    await zaraz.track('Applied')
    expect(pairs(transport.requests[0])).toEqual([
      ['tid', 'kept'],
      ['aid', '4411'],
    ])
  })

  test('an event with nothing to report sends nothing', async () => {
    const { zaraz, transport } = run({ actions: { cv: { actionType: 'event', firingTriggers: ['AllTracks'], data: { note: '' } } } })
    await zaraz.track('Applied')
    expect(transport.requests).toEqual([])
  })

  test("with only the permission Zaraz's manifest lists (server_network_requests) it sends, but keeps no tid", async () => {
    history.replaceState({}, '', '/jobs?tid=up-click-9')
    const { zaraz, transport } = run({ permissions: ['server_network_requests'] })
    await zaraz.track('Pageview')
    await zaraz.track('Applied', { value: 5 })
    expect(pairs(transport.requests[0])).toEqual([
      ['aid', '4411'],
      ['amount', '5'],
    ])
    expect(JSON.stringify({ ...localStorage })).not.toContain('up-click-9')
  })

  test('with the purpose of the tool refused, tid is not kept and nothing is sent', async () => {
    history.replaceState({}, '', '/jobs?tid=up-click-9')
    document.cookie = 'zaraz-consent=' + encodeURIComponent(JSON.stringify({ ads: false })) + '; path=/'
    const { zaraz, transport } = runBuiltIn(
      'upward',
      () => import('../../src/tools/upward'),
      { defaultPurpose: 'ads', actions: { pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} }, cv: { actionType: 'event', firingTriggers: ['AllTracks'], data: { aid: '1' } } } },
      { consent: { enabled: true, purposes: { ads: { name: 'Ads', description: 'Ads' } }, hideModal: true } },
    )
    await zaraz.track('Pageview')
    await zaraz.track('Applied')
    expect(transport.requests).toEqual([])
    expect(JSON.stringify({ ...localStorage }) + document.cookie).not.toContain('up-click-9')
  })
})
