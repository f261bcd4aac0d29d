/**
 * Our Managed Components declarations must stay assignable to `@managed-components/types`, so a
 * tool written against that package runs here unchanged. The type checks below fail `npm run
 * typecheck` (tsc over test/) when they drift; the runtime test runs such a tool.
 */
import { beforeEach, expect, expectTypeOf, test, vi } from 'vitest'
import type * as MC from '@managed-components/types'
import type { Client, ClientSetOptions, ManagedComponent, Manager, MCEvent, MCEventListener } from '../../src/types/mc'
import { createZaraz } from '../../src/index'
import { createRecordingTransport } from '../../src/testing/index'
import { recordingConsole, resetPage } from './helpers'

beforeEach(resetPage)

test('our MC types are assignable to @managed-components/types', () => {
  expectTypeOf<Manager>().toExtend<MC.Manager>()
  expectTypeOf<Client>().toExtend<MC.Client>()
  expectTypeOf<MCEvent>().toExtend<MC.MCEvent>()
  expectTypeOf<MCEventListener>().toExtend<MC.MCEventListener>()
  expectTypeOf<ClientSetOptions>().toExtend<MC.ClientSetOptions>()
  expectTypeOf<ManagedComponent>().toExtend<MC.ManagedComponent>()
  // A component written against the package can be given to us (its parameters take ours).
  expectTypeOf<MC.ManagedComponent>().toExtend<ManagedComponent>()
  expectTypeOf<MC.MCEventListener>().toExtend<MCEventListener>()
})

/** A tool written only against @managed-components/types: the client API and manager.fetch. */
const mcTool: MC.ManagedComponent = (manager: MC.Manager, settings: MC.ComponentSettings) => {
  manager.addEventListener('event', async (event: MC.MCEvent) => {
    const { client, payload } = event
    const seen = client.get('visits')
    const visits = String(Number(seen ?? 0) + 1)
    const opts: MC.ClientSetOptions = { scope: 'infinite', expiry: 60_000 }
    client.set('visits', visits, opts)
    client.fetch(`${settings.endpoint}?e=${encodeURIComponent(event.name ?? '')}&v=${visits}`, { method: 'GET' })
    const res = await manager.fetch(`${settings.endpoint}/lookup`, { method: 'POST', body: JSON.stringify(payload) })
    client.return({ visits, lookup: res?.status, page: client.url.pathname, emitter: client.emitter })
  })
}

test('a tool typed with @managed-components/types runs and its requests are recorded', async () => {
  const transport = createRecordingTransport()
  const config = {
    tools: { mc: { component: 'mcTool', settings: { endpoint: 'https://mc.example/c' }, automatedActions: { track: true } } },
  }
  const zaraz = createZaraz({ config, tools: { mcTool }, transport, pageview: false, env: { console: recordingConsole().log } })
  const first = await zaraz.track('signup', { plan: 'pro' })
  const second = await zaraz.track('upgrade')
  expect(first.return.mc).toEqual({ visits: '1', lookup: 204, page: location.pathname, emitter: 'browser' })
  expect(second.return.mc).toMatchObject({ visits: '2' })
  expect(transport.requests.map((r) => [r.method, r.url, r.json])).toEqual([
    ['GET', 'https://mc.example/c?e=signup&v=1', undefined],
    ['POST', 'https://mc.example/c/lookup', { plan: 'pro' }],
    ['GET', 'https://mc.example/c?e=upgrade&v=2', undefined],
    ['POST', 'https://mc.example/c/lookup', {}],
  ])
  expect(transport.requests[0]).toMatchObject({ toolId: 'mc', eventId: expect.any(String) })
})

test('registerTool takes a component typed with @managed-components/types', async () => {
  const transport = createRecordingTransport()
  const config = {
    tools: { mc: { component: 'later', settings: { endpoint: 'https://mc.example/r' }, automatedActions: { track: true } } },
  }
  const zaraz = createZaraz({ config, transport, pageview: false, env: { console: recordingConsole().log } })
  const p = zaraz.track('held')
  zaraz.registerTool('later', mcTool)
  expect((await p).return.mc).toMatchObject({ visits: '1', lookup: 204 })
  expect(transport.requests.map((r) => r.url)).toEqual(['https://mc.example/r?e=held&v=1', 'https://mc.example/r/lookup'])
})

/** A tool written against @managed-components/types that uses client events, as the spec's example does. */
const scrollTool: MC.ManagedComponent = (manager: MC.Manager) => {
  manager.createEventListener('scroll', (event: MC.MCEvent) => {
    event.client.fetch(`https://mc.example/scroll?y=${event.payload.scroll[0].scrollY}`)
  })
  manager.addEventListener('clientcreated', ({ client }: MC.MCEvent) => client.attachEvent('scroll'))
  manager.addEventListener('pageview', () => undefined)
}

test('a tool typed with @managed-components/types gets the client events it attached', async () => {
  const transport = createRecordingTransport()
  const config = { tools: { mc: { component: 'scrollTool', automatedActions: { pageview: true } } } }
  const zaraz = createZaraz({ config, tools: { scrollTool }, transport, pageview: false, env: { console: recordingConsole().log } })
  await zaraz.spaPageview()
  document.dispatchEvent(new Event('scroll'))
  // The scroll happened while the client-events chunk loaded (the first attach loads it): kept, then sent.
  await vi.waitFor(() => expect(transport.requests.map((r) => r.url)).toEqual([`https://mc.example/scroll?y=${scrollY}`]))
  localStorage.clear()
})
