/** Google Maps Reserve with Google (`google-maps-RWG`): the rwg_token kept in the `_rwg_token` cookie, as Zaraz's component keeps it. */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { cookieOwner, resetPage } from './helpers'
import { runBuiltIn } from './run-built-in'

const run = (tool: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  runBuiltIn(
    'google-maps-RWG',
    () => import('../../src/tools/google-maps-RWG'),
    { settings: { baseDomain: 'shop.example' }, permissions: ['execute_unsafe_scripts'], automatedActions: { pageview: true, track: true, ecommerce: true }, ...tool },
    extra,
  )

const TOKEN = 'AJKvS9WeONmWKEwjG0--HdpzMq0yAVNL8KMxbb44QtbcxMhSx_NUud5b8PLUBFehAIxOBO-iYRIJOknEFkIJmdsofdVJ6uOweQ=='
let start: string
beforeEach(() => {
  resetPage()
  start = location.href
})
afterEach(() => {
  history.replaceState({}, '', start)
  vi.restoreAllMocks()
})

describe('Google Maps Reserve with Google', () => {
  test('a landing URL with rwg_token writes _rwg_token=<encoded token>; Max-Age=2592000 (30 days); Path=/ and sends nothing', async () => {
    const writes: string[] = []
    const owner = cookieOwner()
    const desc = Object.getOwnPropertyDescriptor(owner, 'cookie')!
    vi.spyOn(owner, 'cookie', 'set').mockImplementation(function (this: Document, v: string) {
      if (v.startsWith('_rwg')) writes.push(v)
      desc.set!.call(this, v)
    })
    history.replaceState({}, '', `/book?rwg_token=${encodeURIComponent(TOKEN)}&x=1`)
    const { zaraz, transport } = run()
    await zaraz.track('Pageview')
    expect(writes).toEqual([`_rwg_token=${encodeURIComponent(TOKEN)}; Max-Age=2592000; Path=/`])
    expect(document.cookie).toContain(`_rwg_token=${encodeURIComponent(TOKEN)}`)
    expect(transport.requests).toEqual([])
  })

  test('the kept token stays when a later page has none, and a new token replaces it', async () => {
    history.replaceState({}, '', '/book?rwg_token=first')
    const a = run()
    await a.zaraz.track('Pageview')
    history.replaceState({}, '', '/next')
    const b = run()
    await b.zaraz.track('Pageview')
    expect(document.cookie).toContain('_rwg_token=first')
    history.replaceState({}, '', '/again?rwg_token=second')
    const c = run()
    await c.zaraz.track('Pageview')
    expect(document.cookie).toContain('_rwg_token=second')
    expect(document.cookie).not.toContain('first')
  })

  test('events and e-commerce calls neither write nor send anything', async () => {
    history.replaceState({}, '', '/book?rwg_token=tok')
    const { zaraz, transport } = run()
    await zaraz.track('Booked', { value: 3 })
    await zaraz.ecommerce('Order Completed', { order_id: 'o-1' })
    expect(document.cookie).not.toContain('_rwg_token')
    expect(transport.requests).toEqual([])
  })

  test('without the execute_unsafe_scripts permission Zaraz exports for it, no cookie is written', async () => {
    history.replaceState({}, '', '/book?rwg_token=tok')
    const { zaraz } = run({ permissions: ['client_network_requests'] })
    await zaraz.track('Pageview')
    expect(document.cookie).not.toContain('_rwg_token')
  })

  test('with the purpose of the tool refused, no cookie is written', async () => {
    history.replaceState({}, '', '/book?rwg_token=tok')
    document.cookie = 'zaraz-consent=' + encodeURIComponent(JSON.stringify({ ads: false })) + '; path=/'
    const { zaraz } = run({ defaultPurpose: 'ads' }, { consent: { enabled: true, purposes: { ads: { name: 'Ads', description: 'Ads' } }, hideModal: true } })
    await zaraz.track('Pageview')
    expect(document.cookie).not.toContain('_rwg_token')
  })
})
