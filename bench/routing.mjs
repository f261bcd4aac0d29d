// Routing cost per event with 10, 1,000 and 10,000 triggers (npm run bench).
// Each trigger is pinned to its own event name (`{{ client.__zarazTrack }}` EQUALS evt_<i>, the
// common "track name equals X" trigger) and fires one custom action; every event also passes the
// automated pageview/track actions. The number that matters is the ratio between the sizes.
import { performance } from 'node:perf_hooks'
import { createZaraz } from '../dist/npm/index.js'

const transport = {
  send: () => Promise.resolve({ ok: true, status: 204, attempts: 1 }),
  fetch: () => Promise.resolve(new Response(null, { status: 204 })),
}
const quiet = { warn() {}, error() {}, info() {} }

function config(n) {
  const triggers = {}
  const actions = {}
  for (let i = 0; i < n; i++) {
    triggers[`t${i}`] = { loadRules: [{ match: '{{ client.__zarazTrack }}', op: 'EQUALS', value: `evt_${i}` }] }
    actions[`a${i}`] = { actionType: 'event', firingTriggers: [`t${i}`], data: { n: String(i), plan: '{{ client.plan }}' } }
  }
  return { triggers, tools: { sink: { component: 'sink', automatedActions: { pageview: true, track: true }, actions } } }
}

async function perEvent(n, events) {
  let received = 0
  const zaraz = createZaraz({
    config: config(n),
    transport,
    pageview: false,
    env: { console: quiet },
    tools: { sink: (m) => void m.addEventListener('event', () => void received++) },
  })
  const batch = async (count) => {
    const all = []
    for (let i = 0; i < count; i++) all.push(zaraz.track(`evt_${i % n}`, { plan: 'pro' }))
    await Promise.all(all)
  }
  await batch(1000) // warm-up: JIT, and the component has loaded
  const start = performance.now()
  await batch(events)
  const ms = performance.now() - start
  if (received < events) throw new Error(`only ${received} of ${events} events reached the tool`)
  return (ms * 1000) / events // µs per event
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function benchRouting({ runs = 5, events = 5000 } = {}) {
  const sizes = [10, 1000, 10000]
  const results = {}
  for (const n of sizes) {
    const samples = []
    for (let r = 0; r < runs; r++) samples.push(await perEvent(n, events))
    results[n] = median(samples)
  }
  return { sizes, results, ratio: results[10000] / results[10] }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { sizes, results, ratio } = await benchRouting()
  console.log('routing: µs per event (median of 5 runs of 5,000 events), Node', process.version)
  for (const n of sizes) console.log(`  ${String(n).padStart(6)} triggers  ${results[n].toFixed(2)} µs`)
  console.log(`  ratio 10,000 / 10 triggers: ${ratio.toFixed(2)}×`)
}
