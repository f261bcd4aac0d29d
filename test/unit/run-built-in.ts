/**
 * Runs one catalogue tool as the runtime loads a built-in (its module's `permissions` and
 * `sentFromServer` apply), with a fixed clock (1,700,000,000,000 ms), a fixed random source (0.5 unless given)
 * and a recording transport; the tool is handed to the runtime by name, as the script-tag build's
 * loader hands it over.
 */
import { createRuntime } from '../../src/runtime'
import { browserEnv } from '../../src/platform/env'
import { createFakeClock, createRecordingTransport, type RecordedRequest } from '../../src/testing/index'
import type { ToolModule } from '../../src/tools/host/host'
import { afterEach, beforeEach } from 'vitest'
import { recordingConsole, resetPage } from './helpers'

export const T = 1_700_000_000_000

export function runBuiltIn(component: string, load: () => Promise<unknown>, tool: Record<string, unknown>, extra: Record<string, unknown> = {}, random = () => 0.5) {
  const transport = createRecordingTransport()
  const clock = createFakeClock(T)
  const console = recordingConsole()
  const zaraz = createRuntime({
    config: { settings: { ecommerce: true }, tools: { t: { type: 'component', component, ...tool } }, ...extra },
    env: browserEnv({ console: console.log, clock, random }),
    transport,
    builtIns: { [component]: load as () => Promise<ToolModule> },
    pageview: false,
  })
  return { zaraz, transport, clock, console }
}

/** The query parameters of a request, in order. */
export const pairs = (r: RecordedRequest) => [...new URL(r.url).searchParams]
/** A request's URL without its query. */
export const base = (r: RecordedRequest) => r.url.split('?')[0]
/** What decides how a request leaves: method, URL without query, mode, credentials. */
export const how = (r: RecordedRequest) => [r.method, base(r), r.mode, r.credentials]

/**
 * Each test starts on a fresh page (`resetPage`: no cookies, storage or markup) and leaves the URL
 * as it found it; `title`, when given, is the page's title for every test.
 */
export function freshPageEachTest(title?: string) {
  let start = ''
  beforeEach(() => {
    resetPage()
    start = location.href
    if (title !== undefined) document.title = title
  })
  afterEach(() => history.replaceState({}, '', start))
}

/** A request's headers with lower-case names. */
export const headersOf = (r: RecordedRequest) => Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))

/** The automated pageview and track as a Zaraz export writes them: a `pageview` action on Pageview, an `event` one with the event's properties on AllTracks. */
export const EXPORTED_ACTIONS = {
  pv: { actionType: 'pageview', firingTriggers: ['Pageview'], data: {} },
  ev: { actionType: 'event', firingTriggers: ['AllTracks'], data: { __includeEventProperties: true } },
}
