import { beforeEach, describe, expect, test } from 'vitest'
import { createTestZaraz } from '../../src/testing/index'
import { createRecorder } from '../../src/debug/records'
import { showDebugger } from '../../src/debug/panel'
import { httpTool, resetPage } from './helpers'

beforeEach(resetPage)

const config = {
  debugKey: 'k',
  settings: { ecommerce: true },
  consent: { enabled: true, purposes: { ads: { name: 'Ads', description: 'Ads', order: 1 } } },
  triggers: {
    buy: { loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'buy' }] },
    big: { loadRules: [{ match: '{{ client.value }}', op: 'GREATER_THAN', value: '100' }] },
  },
  tools: {
    collector: httpTool(),
    ads: { ...httpTool({ automatedActions: { track: false } }), defaultPurpose: 'ads', actions: { conv: { actionType: 'event', firingTriggers: ['buy'], data: { c: 1 } } } },
    blocked: { ...httpTool({ automatedActions: { track: false } }), actions: { conv: { actionType: 'event', firingTriggers: ['buy'], blockingTriggers: ['big'] } } },
    quiet: { ...httpTool({ automatedActions: { ecommerce: false, track: false } }), actions: { never: { actionType: 'event', firingTriggers: ['buy'] } } },
  },
}

describe('debug records', () => {
  test('say, for every tool, whether it got the event, with what payload, or exactly why not', async () => {
    const t = createTestZaraz({ config })
    await t.zaraz.track('buy', { value: 500 })
    await t.settle()
    const [r] = t.records
    expect(r.name).toBe('buy')
    expect(r.properties).toEqual({ value: 500 })
    const by = (tool: string, action?: string) => r.decisions.filter((d) => d.tool == tool && (!action || d.action == action))
    expect(by('collector', '__automated_track')).toEqual([
      expect.objectContaining({ sent: true, type: 'event', payload: { __setting_endpoint: 'https://collect.example/c', __setting_method: 'post-json', event: 'buy', value: 500 } }),
    ])
    expect(by('blocked', 'conv')).toEqual([expect.objectContaining({ sent: false, reason: 'blocking trigger "big" matched' })])
    expect(by('ads', 'conv')).toEqual([expect.objectContaining({ sent: false, reason: 'waiting for consent for purpose "ads" (held until the visitor decides)' })])
    expect(r.requests.map((q) => [q.tool, q.method, q.url, q.state])).toEqual(
      expect.arrayContaining([['collector', 'POST', 'https://collect.example/c', 'sent']]),
    )
  })

  test('an action whose trigger did not match names the rule and the value it saw', async () => {
    const t = createTestZaraz({ config })
    await t.zaraz.track('browse')
    await t.settle()
    const d = t.records[0].decisions.find((x) => x.tool == 'quiet' && x.action == 'never')!
    expect(d.sent).toBe(false)
    expect(d.reason).toBe('no firing trigger matched: trigger "buy": {{ client.__zarazTrack }} EQUALS "buy" (the value was "browse") did not match')
  })

  test('a tool held for consent and given it later is recorded as delivered then', async () => {
    const t = createTestZaraz({ config })
    await t.zaraz.track('buy', { value: 5 })
    const r = t.records[0]
    const ads = () => r.decisions.filter((d) => d.tool == 'ads')
    expect(ads()).toEqual([expect.objectContaining({ sent: false, reason: 'waiting for consent for purpose "ads" (held until the visitor decides)' })])
    expect(r.notes.filter((n) => n.tool == 'ads')).toEqual([{ tool: 'ads', message: 'waiting for consent for purpose "ads" (held until the visitor decides)' }])
    t.zaraz.consent.set({ ads: true })
    await t.settle()
    expect(ads()).toEqual([expect.objectContaining({ sent: true, reason: 'delivered once consent was granted' })])
    expect(t.requests.filter((q) => q.toolId == 'ads')).toHaveLength(1)
  })

  test('a tool whose purpose is refused is recorded as dropped, in words', async () => {
    const t = createTestZaraz({ config })
    t.zaraz.consent.set({ ads: false })
    await t.zaraz.track('buy', { value: 5 })
    await t.settle()
    const r = t.records.find((x) => x.name == 'buy')!
    expect(r.decisions.filter((d) => d.tool == 'ads')).toEqual([expect.objectContaining({ sent: false, reason: 'consent for purpose "ads" is refused' })])
    expect(r.notes.filter((n) => n.tool == 'ads')).toEqual([{ tool: 'ads', message: 'consent for purpose "ads" is refused; event dropped' }])
  })

  test('notes say what a tool did that had no effect', async () => {
    const t = createTestZaraz({
      config: { tools: { x: { component: 'fetcher', automatedActions: { track: true }, permissions: [] } } },
      tools: { fetcher: (m) => void m.addEventListener('event', (e) => void e.client.fetch('https://x.example/')) },
    })
    await t.zaraz.track('go')
    await t.settle()
    expect(t.records[0].notes).toEqual([{ tool: 'x', message: 'client.fetch needs the "client_network_requests" permission; ignored' }])
  })
})

describe('the debugger panel', () => {
  test('lists events in a shadow root with each tool’s outcome, and follows new events', async () => {
    const recorder = createRecorder({ errors: [], warnings: [{ path: 'settings.trackPath', message: 'edge only' }] })
    const t = createTestZaraz({ config, onDebugRecord: (r) => recorder.add(r) })
    const panel = showDebugger({ recorder, document })
    await t.zaraz.track('buy', { value: 500 })
    await t.settle()
    await new Promise((r) => setTimeout(r, 50))
    const root = panel.element.shadowRoot!
    expect(root.querySelector('[role=region]')!.getAttribute('aria-label')).toBe('tagrelay debugger')
    const text = root.textContent!
    expect(text).toContain('settings.trackPath: edge only')
    expect(text).toContain('buy')
    expect(text).toContain('blocking trigger "big" matched')
    expect(root.querySelector('tr[data-tool="collector"][data-sent="true"]')).not.toBeNull()
    expect(document.querySelector('style')).toBeNull()
    panel.close()
    expect(document.getElementById('tagrelay-debugger')).toBeNull()
  })
})
