// The debugger panel's colours (WCAG 2.2 AA in both themes), outcomes, filters, Clear, collapse and
// resize, in happy-dom. Chromium checks the rendering (test/e2e/debugger.test.ts: axe, layout).
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createTestZaraz } from '../../src/testing/index'
import { createRecorder } from '../../src/debug/records'
import { showDebugger } from '../../src/debug/panel'
import { outcomeOf } from '../../src/debug/outcome'
import { CONTRAST, CSS, DARK, LIGHT, type Palette } from '../../src/debug/theme'
import { httpTool, resetPage } from './helpers'

/** WCAG 2.x relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255)
  const linear = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}

describe('the panel’s colours', () => {
  test('the ratio formula is WCAG’s (black on white is 21:1, the old header count 2.42:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#5b6680', '#1d2b4f')).toBeCloseTo(2.42, 2)
  })

  test.each([
    ['light', LIGHT],
    ['dark', DARK],
  ] as const)('every pair drawn in the %s theme meets WCAG 2.2 AA (4.5:1 text, 3:1 borders and focus)', (_name, palette: Palette) => {
    const failing = CONTRAST.map((p) => ({ ...p, ratio: Math.round(contrast(palette[p.foreground], palette[p.background]) * 100) / 100 })).filter((p) => p.ratio < p.minimum)
    expect(failing).toEqual([])
  })

  test('the style sheet draws only the palettes’ colours, and only colours the palettes name', () => {
    const literals = new Set(CSS.match(/#[0-9a-f]{3,8}\b/gi))
    expect([...literals].filter((c) => !Object.values(LIGHT).includes(c) && !Object.values(DARK).includes(c))).toEqual([])
    const used = new Set([...CSS.matchAll(/var\(--([a-zA-Z]+)/g)].map((m) => m[1]))
    used.delete('height')
    expect([...used].filter((name) => !(name in LIGHT))).toEqual([])
    // Every pair the contrast list checks is a pair the sheet can draw.
    for (const p of CONTRAST) expect(used.has(p.foreground) && used.has(p.background), `${p.foreground} on ${p.background}`).toBe(true)
  })
})

const config = {
  debugKey: 'k',
  consent: { enabled: true, purposes: { ads: { name: 'Ads', description: 'Ads', order: 1 } } },
  triggers: {
    buy: { loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: 'buy' }] },
    big: { loadRules: [{ match: '{{ client.value }}', op: 'GREATER_THAN', value: '100' }] },
  },
  tools: {
    collector: httpTool(),
    ads: { ...httpTool({ automatedActions: { track: false } }), defaultPurpose: 'ads', actions: { conv: { actionType: 'event', firingTriggers: ['buy'] } } },
    blocked: { ...httpTool({ automatedActions: { track: false } }), actions: { conv: { actionType: 'event', firingTriggers: ['buy'], blockingTriggers: ['big'] } } },
    quiet: { ...httpTool({ automatedActions: { track: false } }), actions: { never: { actionType: 'event', firingTriggers: ['buy'] } } },
  },
}

/** Records from a real runtime: `buy` (sent, held, blocked) and `browse` (sent, not matched). */
async function recorded() {
  const recorder = createRecorder({ errors: [], warnings: [] })
  const t = createTestZaraz({ config, onDebugRecord: (r) => recorder.add(r) })
  await t.zaraz.track('buy', { value: 500 })
  await t.zaraz.track('browse')
  await t.settle()
  return recorder
}

describe('outcomes', () => {
  test('each line of a real record is sent, held, blocked or not matched', async () => {
    const recorder = await recorded()
    const [buy, browse] = recorder.records
    const of = (r: typeof buy, tool: string) => r.decisions.filter((d) => d.tool == tool).map(outcomeOf)
    // Its pageview action does not match a track; its track action sends.
    expect(of(buy, 'collector')).toEqual(['not matched', 'sent'])
    expect(of(buy, 'ads')).toEqual(['held'])
    expect(of(buy, 'blocked')).toEqual(['blocked'])
    expect(of(browse, 'quiet')).toEqual(['not matched'])
    expect(outcomeOf({ sent: false, reason: 'consent for purpose "ads" is refused' })).toBe('blocked')
  })
})

describe('the panel’s controls', () => {
  let close = () => {}
  beforeEach(resetPage)
  afterEach(() => close())

  async function panel() {
    const recorder = await recorded()
    const shown = showDebugger({ recorder, document })
    close = shown.close
    const root = shown.element.shadowRoot!
    const q = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector as string) as T
    const events = () => [...root.querySelectorAll('details[data-key]:not([data-key*="/"])')].map((d) => d.querySelector(':scope > summary .name')?.textContent)
    const lines = () => [...root.querySelectorAll('tr')].map((r) => `${r.getAttribute('data-tool')}:${r.getAttribute('data-outcome')}`)
    const choose = (filter: string, value: string) => {
      const control = q<HTMLSelectElement | HTMLInputElement>(`[data-filter="${filter}"]`)
      control.value = value
      control.dispatchEvent(new Event(filter == 'name' ? 'input' : 'change'))
    }
    return { recorder, root, q, events, lines, choose }
  }

  test('filters by outcome, by tool and by event name; the count says how many of how many', async () => {
    const p = await panel()
    expect(p.events()).toEqual(['browse', 'buy'])
    const options = [...p.q<HTMLSelectElement>('[data-filter="tool"]').options].map((o) => o.value)
    expect(options).toEqual(['', 'collector', 'ads', 'blocked', 'quiet'])
    p.choose('outcome', 'held')
    expect(p.events()).toEqual(['buy'])
    expect(p.lines()).toEqual(['ads:held'])
    // Held may still go out: a warning's colour, not a failure's.
    expect(p.q('tr[data-outcome="held"] td:nth-child(2) > span')!.className).toBe('warn')
    expect(p.q('.count').textContent).toBe('1 of 2 events')
    p.choose('outcome', 'not matched')
    p.choose('tool', 'quiet')
    expect(p.events()).toEqual(['browse'])
    expect(p.lines()).toEqual(['quiet:not matched'])
    p.choose('outcome', '')
    p.choose('tool', 'blocked')
    expect(p.lines()).toEqual(['blocked:not matched', 'blocked:blocked'])
    p.choose('tool', '')
    p.choose('name', 'BU')
    expect(p.events()).toEqual(['buy'])
    p.choose('name', 'nothing like it')
    expect(p.events()).toEqual([])
    expect(p.q('.body').textContent).toBe('No event matches the filters.')
  })

  test('a tool filter shows that tool’s requests only', async () => {
    const p = await panel()
    const requests = () => [...p.root.querySelectorAll('li[data-tool]')].map((li) => li.getAttribute('data-tool'))
    expect(requests()).toContain('collector')
    p.choose('tool', 'blocked')
    expect(requests()).toEqual([])
    p.choose('tool', 'collector')
    expect(new Set(requests())).toEqual(new Set(['collector']))
  })

  test('Clear empties the list; later events show', async () => {
    const p = await panel()
    p.q('[data-control="clear"]').click()
    expect(p.events()).toEqual([])
    expect(p.q('.body').textContent).toBe('Cleared. New events show here.')
    expect(p.q('.count').textContent).toBe('0 event(s)')
    expect(p.recorder.records).toHaveLength(2)
    p.recorder.add({ ...p.recorder.records[0], id: 'later', name: 'later' })
    await new Promise((r) => setTimeout(r, 50))
    expect(p.events()).toEqual(['later'])
  })

  test('Collapse and Escape make it a badge that says the count; the badge brings it back; focus follows', async () => {
    const p = await panel()
    const region = p.q('[role=region]')
    const badge = p.q('.badge')
    expect(badge.hidden).toBe(true)
    p.q('[data-control="collapse"]').click()
    expect(region.hidden).toBe(true)
    expect(badge.hidden).toBe(false)
    expect(badge.textContent).toBe('tagrelay · 2')
    expect(badge.getAttribute('aria-expanded')).toBe('false')
    expect(p.root.activeElement).toBe(badge)
    badge.click()
    expect(region.hidden).toBe(false)
    expect(p.root.activeElement).toBe(p.q('[data-control="collapse"]'))
    p.q('[data-filter="name"]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(region.hidden).toBe(true)
    expect(p.root.activeElement).toBe(badge)
  })

  test('the grip resizes the panel from the keyboard, within bounds, and says the height', async () => {
    const p = await panel()
    const grip = p.q('[role=separator]')
    const key = (k: string) => grip.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }))
    const height = () => p.q('[role=region]').style.getPropertyValue('--height')
    expect(grip.getAttribute('tabindex')).toBe('0')
    expect(height()).toBe('320px')
    key('ArrowUp')
    expect(height()).toBe('344px')
    expect(grip.getAttribute('aria-valuenow')).toBe('344')
    key('PageDown')
    expect(height()).toBe('224px')
    key('Home')
    expect(height()).toBe('120px')
    key('ArrowDown')
    expect(height()).toBe('120px')
    key('End')
    expect(height()).toBe(`${window.innerHeight - 40}px`)
  })
})
