import { beforeEach, describe, expect, test, vi } from 'vitest'
import { resetPage } from './helpers'
import { readConfig, type Source } from '../../src/entries/config-source'
import * as messages from '../../src/config/messages'
import type { MCEvent } from '../../src/types/mc'

type Page = Window & { zaraz?: any; zarazConfig?: unknown; tagrelayChunks?: unknown }
const w = window as Page

beforeEach(() => {
  resetPage()
  vi.resetModules()
  delete w.zaraz
  delete w.zarazConfig
  delete w.tagrelayChunks
  // The mark of the runtime that owns the page (src/entries/owner.ts): each test is a fresh page.
  delete (w as unknown as Record<symbol, unknown>)[Symbol.for('tagrelay')]
  document.getElementById('zaraz-config')?.remove()
})

const config = {
  settings: { ecommerce: true },
  tools: { rec: { component: 'recorder', settings: { ecommerce: true }, automatedActions: { pageview: true, track: true, ecommerce: true } } },
}

/** A component that records what it receives, registered through the page API. */
function recorder() {
  const seen: Array<{ type: string; name?: string; payload: unknown }> = []
  const component = (m: any) => {
    for (const t of ['pageview', 'event', 'ecommerce'])
      m.addEventListener(t, (e: MCEvent) => {
        seen.push({ type: e.type, name: e.name, payload: e.payload })
        e.client.return(`got ${e.name}`)
      })
  }
  return { seen, component }
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

describe('the loader stub', () => {
  test('queues every call before the bundle and the bundle replays them in order', async () => {
    await import('../../src/snippet')
    const { seen, component } = recorder()
    const z = w.zaraz
    expect(Array.isArray(z.q)).toBe(true)
    const p1 = z.track('first', { n: 1 })
    z.set('ab', 'B', { scope: 'page' })
    const p2 = z.ecommerce('Product Added', { product_id: 'p1' })
    z.registerTool('recorder', component)
    const bad = z.track(42)
    // Its rejection is awaited below; handled from now on, as start-up takes several turns of the page.
    const badRejects = expect(bad).rejects.toThrow(TypeError)
    expect(z.q).toHaveLength(5)
    w.zarazConfig = config
    await import('../../src/entries/browser')
    expect(w.zaraz).not.toBe(z)
    await expect(p1).resolves.toEqual({ return: { rec: 'got first' } })
    await expect(p2).resolves.toEqual({ return: { rec: 'got Product Added' } })
    await badRejects
    await until(() => seen.length == 3)
    // Queued calls first, in call order; then the pageview, with the values set in <head>.
    expect(seen).toEqual([
      { type: 'event', name: 'first', payload: { n: 1 } },
      { type: 'ecommerce', name: 'Product Added', payload: { name: 'Product Added', ecommerce: { product_id: 'p1' } } },
      { type: 'pageview', name: 'Pageview', payload: { ab: 'B' } },
    ])
  })

  test('a reference to the stub kept by the page keeps working after the bundle loaded', async () => {
    await import('../../src/snippet')
    const { seen, component } = recorder()
    const stub = w.zaraz
    stub.registerTool('recorder', component)
    w.zarazConfig = config
    await import('../../src/entries/browser')
    await expect(stub.track('late')).resolves.toEqual({ return: { rec: 'got late' } })
    await until(() => seen.some((s) => s.name == 'late'))
  })

  /** Counts `document.cookie` reads from now until `stop()`. */
  const countCookieReads = () => {
    let proto: object | null = document
    while (proto && !Object.getOwnPropertyDescriptor(proto, 'cookie')) proto = Object.getPrototypeOf(proto)
    const d = Object.getOwnPropertyDescriptor(proto!, 'cookie')!
    let reads = 0
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => (reads++, d.get!.call(document)), set: (v) => d.set!.call(document, v) })
    return { reads: () => reads, stop: () => delete (document as { cookie?: string }).cookie }
  }

  test('the stub looks for the storage hint cookie, so the bundle reads no cookie at start-up', async () => {
    await import('../../src/snippet')
    expect(w.zaraz.st).toBe(false)
    const { seen, component } = recorder()
    w.zaraz.registerTool('recorder', component)
    w.zarazConfig = config
    const cookies = countCookieReads()
    try {
      await import('../../src/entries/browser')
      await until(() => seen.length == 1)
      expect(cookies.reads()).toBe(0)
      // Later checks read the cookie again: another tab may have written storage since.
      w.zaraz.set('plan', 'gold')
      expect(cookies.reads()).toBeGreaterThan(0)
    } finally {
      cookies.stop()
    }
    expect(document.cookie).toContain('tagrelay_st=1')
  })

  test('when the stub saw the hint cookie, the first pageview carries the values stored before', async () => {
    document.cookie = 'other=1; path=/'
    document.cookie = 'tagrelay_st=1; path=/'
    localStorage.setItem('_zaraz_plan', '"gold"')
    sessionStorage.setItem('_zaraz_cart', '2')
    await import('../../src/snippet')
    expect(w.zaraz.st).toBe(true)
    const { seen, component } = recorder()
    w.zaraz.registerTool('recorder', component)
    w.zarazConfig = config
    await import('../../src/entries/browser')
    await until(() => seen.length == 1)
    expect(seen[0]).toEqual({ type: 'pageview', name: 'Pageview', payload: { plan: 'gold', cart: 2 } })
  })

  test('the stub defines the consent API and does not replace an existing zaraz', async () => {
    w.zaraz = { existing: true }
    await import('../../src/snippet')
    expect(w.zaraz).toEqual({ existing: true })
    delete w.zaraz
    vi.resetModules()
    await import('../../src/snippet')
    expect(typeof w.zaraz.consent.set).toBe('function')
    expect(w.zaraz.consent.APIReady).toBe(false)
  })
})

describe('one runtime per page', () => {
  /** Loads the bundle as another script tag would: a fresh copy of the module. */
  const loadBundle = async () => {
    vi.resetModules()
    await import('../../src/entries/browser')
  }
  const warnings = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  const twice = (spy: ReturnType<typeof warnings>) => spy.mock.calls.filter((c) => String(c[1]).includes('loaded twice'))

  test('a second copy of the bundle does nothing but warn once: one pageview, the stub queue replayed once, window.zaraz kept', async () => {
    const warn = warnings()
    await import('../../src/snippet')
    const { seen, component } = recorder()
    w.zaraz.registerTool('recorder', component)
    const queued = w.zaraz.track('early')
    w.zarazConfig = config
    await loadBundle()
    const first = w.zaraz
    const registry = w.tagrelayChunks as { push: unknown }
    const push = registry.push
    await loadBundle()
    expect(w.zaraz).toBe(first)
    expect(registry.push).toBe(push)
    await expect(queued).resolves.toEqual({ return: { rec: 'got early' } })
    await first.track('later')
    await new Promise((r) => setTimeout(r, 20))
    expect(seen.map((s) => s.name)).toEqual(['early', 'Pageview', 'later'])
    expect(twice(warn)).toHaveLength(1)
    warn.mockRestore()
  })

  test('two copies that both start before either has its config (a data-config URL) still make one runtime', async () => {
    const warn = warnings()
    const script = document.createElement('script')
    script.setAttribute('data-config', '/zaraz.json')
    const fetch = vi.spyOn(window, 'fetch').mockImplementation(() => Promise.resolve(new Response(JSON.stringify(config))))
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })
    try {
      await import('../../src/snippet')
      const { seen, component } = recorder()
      w.zaraz.registerTool('recorder', component)
      await loadBundle()
      await loadBundle()
      await until(() => seen.length > 0)
      await new Promise((r) => setTimeout(r, 20))
      expect(fetch).toHaveBeenCalledTimes(1)
      expect(seen.map((s) => s.name)).toEqual(['Pageview'])
      expect(twice(warn)).toHaveLength(1)
    } finally {
      delete (document as { currentScript?: unknown }).currentScript
      fetch.mockRestore()
      warn.mockRestore()
    }
  })

  test('a window.zaraz that is not the loader stub (a runtime from before the mark) is left alone', async () => {
    const warn = warnings()
    const running = { track: vi.fn() }
    w.zaraz = running
    w.zarazConfig = config
    await loadBundle()
    expect(w.zaraz).toBe(running)
    expect(running.track).not.toHaveBeenCalled()
    expect(twice(warn)).toHaveLength(1)
    warn.mockRestore()
  })

  test('createZaraz({ install: true }) next to a script-tag copy returns the running runtime; a script-tag copy after it does nothing', async () => {
    const warn = warnings()
    const { createZaraz } = await import('../../src/entries/npm')
    const { seen, component } = recorder()
    w.zarazConfig = config
    await loadBundle()
    w.zaraz.registerTool('recorder', component)
    const running = w.zaraz
    expect(createZaraz({ config, install: true })).toBe(running)
    expect(twice(warn)).toHaveLength(1)
    // Without install, an app may run a runtime of its own: it does not touch the page.
    const own = createZaraz({ config: { tools: {} }, pageview: false })
    expect(own).not.toBe(running)
    expect(w.zaraz).toBe(running)
    await until(() => seen.length == 1)

    delete (w as unknown as Record<symbol, unknown>)[Symbol.for('tagrelay')]
    delete w.zaraz
    const installed = createZaraz({ config, install: true, pageview: false })
    expect(w.zaraz).toBe(installed)
    await loadBundle()
    expect(w.zaraz).toBe(installed)
    expect(twice(warn)).toHaveLength(2)
    warn.mockRestore()
  })
})

describe('where the script-tag build finds its config', () => {
  test('window.zarazConfig comes first', () => {
    w.zarazConfig = { a: 1 }
    document.head.insertAdjacentHTML('beforeend', '<script type="application/json" id="zaraz-config">{"b":2}</script>')
    expect(readConfig(w, null)).toEqual({ config: { a: 1 } })
  })

  test('then <script type="application/json" id="zaraz-config">', () => {
    document.head.insertAdjacentHTML('beforeend', '<script type="application/json" id="zaraz-config">{"b":2}</script>')
    expect(readConfig(w, null)).toEqual({ config: { b: 2 } })
  })

  test('invalid JSON there is a clear error', () => {
    document.head.insertAdjacentHTML('beforeend', '<script type="application/json" id="zaraz-config">{oops</script>')
    const { config, error } = readConfig(w, null) as Source
    expect(config).toBeUndefined()
    expect(messages.sourceError(error!)).toContain('<script id="zaraz-config"> is not valid JSON: ')
  })

  test('then the data-config URL of its own script, fetched as JSON', async () => {
    const script = document.createElement('script')
    script.setAttribute('data-config', '/zaraz.json')
    const fetch = vi.fn(() => Promise.resolve(new Response('{"c":3}', { status: 200 })))
    const page = Object.assign(Object.create(w), { fetch, document, zarazConfig: undefined }) as Page
    await expect(readConfig(page, script)).resolves.toEqual({ config: { c: 3 } })
    expect(fetch).toHaveBeenCalledWith('/zaraz.json', { credentials: 'same-origin' })
    const failing = Object.assign(Object.create(w), { fetch: () => Promise.resolve(new Response('', { status: 404 })), document, zarazConfig: undefined }) as Page
    const { config, error } = await readConfig(failing, script)
    expect(config).toBeUndefined()
    expect(messages.sourceError(error!)).toBe('could not load the config from data-config="/zaraz.json": HTTP 404')
  })

  test('no config at all is a clear error and an inert runtime', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    // The words are in the config messages chunk (here as if it had arrived already).
    w.tagrelayChunks = [['config-messages', messages]]
    await import('../../src/entries/browser')
    await until(() => error.mock.calls.length > 0)
    expect(String(error.mock.calls[0][1])).toContain('no config found')
    await expect(w.zaraz.track('x')).resolves.toEqual({ return: {} })
    error.mockRestore()
  })
})

describe('chunk files on the script tag', () => {
  /** A window whose scripts never load nor fail (a request that hangs), with timers run by hand. */
  function hangingPage() {
    const timers: Array<() => void> = []
    const inserted: string[] = []
    const page = {
      document: { createElement: () => ({}), head: { appendChild: (s: { src: string }) => void inserted.push(s.src) } },
      setTimeout: (fn: () => void) => void timers.push(fn),
    } as unknown as Window
    return { page, timers, inserted, fire: () => timers.splice(0).forEach((f) => f()) }
  }

  test('a chunk that neither arrives nor fails counts as failed after the timeout, and a late arrival is still taken', async () => {
    const { scriptChunkLoader } = await import('../../src/platform/chunks')
    const { page, inserted, fire } = hangingPage()
    const load = scriptChunkLoader(page, '/t/', undefined, 50)
    const first = load('expressions')
    expect(inserted).toEqual(['/t/expressions.dev.min.js'])
    fire()
    await expect(first).rejects.toThrow('could not load /t/expressions.dev.min.js within 50 ms')
    const module = { compileExpression: () => undefined }
    page.tagrelayChunks!.push(['expressions', module])
    await expect(load('expressions')).resolves.toBe(module)
  })

  test('a chunk that arrives in time is not failed by the timer', async () => {
    const { scriptChunkLoader } = await import('../../src/platform/chunks')
    const { page, fire } = hangingPage()
    const load = scriptChunkLoader(page, '/t/', undefined, 50)
    const p = load('tool:http-request')
    page.tagrelayChunks!.push(['tool:http-request', { default: () => undefined }])
    fire()
    await expect(p).resolves.toEqual({ default: expect.any(Function) })
  })

  test('a load asked for again after a failure is not ended by the first load\'s timer', async () => {
    const { scriptChunkLoader } = await import('../../src/platform/chunks')
    const { page, inserted, timers } = hangingPage()
    const scripts: Array<{ onerror?: () => void }> = []
    page.document.createElement = (() => (scripts.push({}), scripts.at(-1))) as never
    const load = scriptChunkLoader(page, '/t/', undefined, 50)
    const first = load('ua')
    scripts[0].onerror!()
    await expect(first).rejects.toThrow('could not load /t/ua.dev.min.js')
    const second = load('ua')
    expect(inserted).toHaveLength(2)
    timers.shift()!() // the first load's timer: that load is over already
    const third = load('ua')
    expect(inserted).toHaveLength(2) // the second load is still the one in progress
    const module = { parse: () => undefined }
    page.tagrelayChunks!.push(['ua', module])
    await expect(second).resolves.toBe(module)
    await expect(third).resolves.toBe(module)
  })
})
