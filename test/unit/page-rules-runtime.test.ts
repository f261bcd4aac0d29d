import { beforeEach, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'

beforeEach(() => {
  resetPage()
  document.body.innerHTML = '<button class="buy" data-sku="s1">Buy</button>'
  history.replaceState({}, '', '/shop/item')
})

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

const config = (path: string) => ({
  triggers: {
    buyOnShop: {
      loadRules: [
        { action: 'clickListener', settings: { selector: '.buy' } },
        { match: '{{ system.page.url.pathname }}', op: 'STARTS_WITH', value: path },
      ],
      excludeRules: [{ match: '{{ client.element.attributes.data-sku }}', op: 'EQUALS', value: 'blocked' }],
    },
  },
  tools: {
    c: httpTool({
      automatedActions: { track: true },
      actions: { buy: { actionType: 'event', firingTriggers: ['buyOnShop'], data: { event: 'buy', sku: '{{ client.element.attributes.data-sku }}' } } },
    }),
  },
})

test('a click rule combined with a match rule fires only where both match, and never as an "other event"', async () => {
  const { zaraz, transport } = setup(config('/shop'))
  await zaraz.track('ready') // page rules are armed by now or very soon
  await until(() => transport.requests.length == 1)
  for (let i = 0; i < 50 && transport.requests.length < 2; i++) {
    ;(document.querySelector('.buy') as HTMLElement).click()
    await new Promise((r) => setTimeout(r, 5))
  }
  expect(transport.requests.map((r) => r.json)[1]).toEqual({ event: 'buy', sku: 's1' })
  // Only the custom action: the internal page-rule event is not an "all other events" track.
  expect(transport.requests.every((r) => (r.json as { event: string }).event != '__zarazClientTrigger')).toBe(true)
})

test('the same click on a page the match rule excludes sends nothing', async () => {
  document.body.innerHTML += '<button class="probe">probe</button>'
  const c = config('/blog')
  // A second click trigger proves the page rules are armed before the click that must not fire.
  ;(c.triggers as Record<string, unknown>).probe = { loadRules: [{ action: 'clickListener', settings: { selector: '.probe' } }] }
  ;((c.tools.c as Record<string, unknown>).actions as Record<string, unknown>).probe = { actionType: 'event', firingTriggers: ['probe'], data: { event: 'probe' } }
  const { zaraz, transport } = setup(c)
  const events = () => transport.requests.map((r) => (r.json as { event: string }).event)
  for (let i = 0; i < 100 && !events().includes('probe'); i++) {
    ;(document.querySelector('.probe') as HTMLElement).click()
    await new Promise((r) => setTimeout(r, 5))
  }
  expect(events()).toContain('probe')
  ;(document.querySelector('.buy') as HTMLElement).click()
  await zaraz.track('barrier')
  expect(events().filter((e) => e != 'probe')).toEqual(['barrier'])
})

test('an exclude rule on the clicked element blocks that click', async () => {
  document.body.innerHTML = '<button class="buy" data-sku="blocked">Buy</button><button class="buy" id="ok" data-sku="s2">Buy</button>'
  const { zaraz, transport } = setup(config('/shop'))
  await zaraz.track('ready')
  for (let i = 0; i < 50 && !transport.requests.some((r) => (r.json as { sku?: string }).sku == 's2'); i++) {
    ;(document.querySelector('.buy') as HTMLElement).click()
    ;(document.getElementById('ok') as HTMLElement).click()
    await new Promise((r) => setTimeout(r, 5))
  }
  const skus = transport.requests.map((r) => (r.json as { sku?: string }).sku).filter(Boolean)
  expect(skus.length).toBeGreaterThan(0)
  expect(new Set(skus)).toEqual(new Set(['s2']))
})

test('page rules start again for each SPA page: a timer with a limit fires again after a navigation', async () => {
  const { zaraz, transport, clock } = setup({
    historyChange: true,
    triggers: { tick: { loadRules: [{ action: 'timer', settings: { interval: 1000, limit: 1 } }] } },
    tools: {
      c: httpTool({
        automatedActions: { pageview: false },
        actions: { tick: { actionType: 'event', firingTriggers: ['tick'], data: { event: 'tick', path: '{{ system.page.url.pathname }}' } } },
      }),
    },
  })
  const ticks = () => transport.requests.map((r) => r.json as { event: string; path: string }).filter((b) => b.event == 'tick')
  // The page rules arrive as a chunk: keep time moving until the first page's timer has fired.
  for (let i = 0; i < 100 && !ticks().length; i++) {
    clock.advance(1000)
    await new Promise((r) => setTimeout(r, 5))
  }
  clock.advance(5000)
  await zaraz.track('barrier')
  expect(ticks().map((t) => t.path)).toEqual(['/shop/item'])
  history.pushState({}, '', '/shop/next')
  clock.advance(1) // the navigation's pageview
  await zaraz.track('barrier')
  clock.advance(1000)
  await zaraz.track('barrier')
  clock.advance(5000)
  await zaraz.track('barrier')
  expect(ticks().map((t) => t.path)).toEqual(['/shop/item', '/shop/next'])
})

test('in the browser a page rule with bad settings is reported when the rules load, and only that trigger stays silent', async () => {
  const errors: unknown[][] = []
  const { zaraz, transport } = setup(
    {
      triggers: {
        bad: { loadRules: [{ action: 'clickListener', settings: { selector: 'div[' } }] },
        good: { loadRules: [{ action: 'clickListener', settings: { selector: '.buy' } }] },
      },
      tools: { c: httpTool({ automatedActions: {}, actions: { a: { actionType: 'event', firingTriggers: ['good'], data: { event: 'good' } } } }) },
    },
    { env: { console: { warn: () => undefined, info: () => undefined, error: (...a: unknown[]) => void errors.push(a) } } },
  )
  for (let i = 0; i < 100 && !transport.requests.length; i++) {
    ;(document.querySelector('.buy') as HTMLElement).click()
    await new Promise((r) => setTimeout(r, 5))
  }
  await zaraz.track('barrier')
  expect(transport.requests.map((r) => (r.json as { event: string }).event)[0]).toBe('good')
  expect(errors.map((e) => String(e[2]))).toEqual([expect.stringContaining('triggers.bad: clickListener settings.selector: invalid CSS selector "div["')])
})
