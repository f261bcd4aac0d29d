// One library, one number of tools, in Node with happy-dom as the page (a fresh process each time:
// fresh globals, storage and JIT). Prints one JSON line: { returnUs, dispatchUs }.
//   node bench/node-calls.mjs <library> <tools>
import { Window } from 'happy-dom'
import { startBenchServer } from './server.mjs'

const [name, toolsArg] = process.argv.slice(2)
const tools = Number(toolsArg)
const server = await startBenchServer()

// happy-dom as the global page: every browser global Node lacks, and happy-dom's own versions of
// the DOM classes Node also has (so that its EventTarget accepts the events); Node keeps its
// JavaScript built-ins, timers, clock and console.
const DOM = new Set(['Event', 'EventTarget', 'CustomEvent', 'MessageEvent', 'DOMException', 'AbortController', 'AbortSignal',
  'fetch', 'Request', 'Response', 'Headers', 'FormData', 'Blob', 'File', 'BroadcastChannel', 'MessageChannel', 'MessagePort'])
const page = new Window({ url: server.url + '/', settings: { disableErrorCapturing: true } })
for (const key of Object.getOwnPropertyNames(page)) {
  if ((key in globalThis && !DOM.has(key)) || key.startsWith('_')) continue
  const d = Object.getOwnPropertyDescriptor(page, key)
  if (d) Object.defineProperty(globalThis, key, { ...d, configurable: true })
}
for (const key of ['window', 'self', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'history', 'screen'])
  Object.defineProperty(globalThis, key, { value: key == 'window' || key == 'self' ? page : page[key], configurable: true, writable: true })

const MODULES = {
  tagrelay: () => import('../dist/npm/index.js'),
  segment: () => import('@segment/analytics-next'),
  analytics: () => import('analytics/lib/analytics.browser.es.js'),
  snowplow: () => import('@snowplow/browser-tracker'),
  rudderstack: () => import('@rudderstack/analytics-js/bundled'),
}

const { start, timeReturn, timeDispatch } = await import('./harness.mjs')
const lib = await MODULES[name]()
const quiet = console.warn
0
try {
  const run = await start(name, { browser: false, lib, collector: server.url }, tools)
  const returnUs = await timeReturn(run, tools)
  const dispatchUs = await timeDispatch(run, tools)
  process.stdout.write(JSON.stringify({ returnUs, dispatchUs }) + '\n')
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e?.message || e) }) + '\n')
} finally {
  console.warn = quiet
  await server.close()
  await page.happyDOM.abort().catch(() => {})
  process.exit(0)
}
