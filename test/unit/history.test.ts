import { beforeEach, describe, expect, test } from 'vitest'
import { setup, httpTool, resetPage } from './helpers'

beforeEach(() => {
  resetPage()
  history.replaceState({}, '', '/')
})

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

const events = (t: { requests: Array<{ json?: unknown }> }) => t.requests.map((r) => (r.json as { event: string; path: string }))

describe('historyChange: true', () => {
  const config = {
    historyChange: true,
    tools: { c: httpTool({ defaultFields: { ...httpTool().defaultFields, path: '{{ system.page.url.pathname }}' } }) },
  }

  test('pushState, replaceState, popstate and hashchange each send one pageview per distinct URL', async () => {
    const { zaraz, transport, clock } = setup(config)
    // The check runs after the current task (a timer on the runtime's clock).
    const settle = () => clock.advance(1)
    history.pushState({}, '', '/a')
    settle()
    await until(() => transport.requests.length == 1)
    history.replaceState({}, '', '/a') // same URL: no pageview
    settle()
    history.replaceState({}, '', '/b')
    settle()
    await until(() => transport.requests.length == 2)
    location.hash = 'section'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    settle()
    await until(() => transport.requests.length == 3)
    history.pushState({}, '', '/c')
    history.pushState({}, '', '/d')
    settle()
    await until(() => transport.requests.length >= 4)
    await zaraz.track('done')
    expect(events(transport).map((e) => `${e.event} ${e.path}`)).toEqual(['Pageview /a', 'Pageview /b', 'Pageview /b', 'Pageview /d', 'done /d'])
  })

  test('without historyChange, navigation sends nothing by itself', async () => {
    const { zaraz, transport, clock } = setup({ tools: { c: httpTool() } })
    history.pushState({}, '', '/x')
    clock.advance(1)
    await zaraz.track('marker')
    expect(events(transport).map((e) => e.event)).toEqual(['marker'])
  })
})
