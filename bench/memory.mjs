// Memory after 100,000 track() events (Node, `node --expose-gc bench/memory.mjs`): tagrelay's npm
// build with one trivial tool, every event awaited in batches of 1,000; heap after a full GC at
// checkpoints. Bounded is what matters: the heap after 100,000 events should be near the heap
// after 10,000. Prints one JSON line.
import { createZaraz } from '../dist/npm/index.js'

if (typeof gc != 'function') throw new Error('run with node --expose-gc')

const transport = {
  send: () => Promise.resolve({ ok: true, status: 204, attempts: 1 }),
  fetch: () => Promise.resolve(new Response(null, { status: 204 })),
}
let received = 0
const zaraz = createZaraz({
  config: { tools: { sink: { component: 'sink', automatedActions: { pageview: true, track: true } } } },
  transport,
  pageview: false,
  env: { console: { warn() {}, error() {}, info() {} } },
  tools: { sink: (m) => void m.addEventListener('event', () => void received++) },
})

const heap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
const props = { sku: 'sku-42', name: 'Linen shirt', price: 39.5, currency: 'EUR', plan: 'pro' }
const checkpoints = [0, 1000, 10000, 50000, 100000]
const heapAt = {}
let sent = 0
for (const at of checkpoints) {
  while (sent < at) {
    const batch = []
    for (let i = 0; i < 1000; i++) batch.push(zaraz.track('Product Viewed', { ...props, i: sent + i }))
    await Promise.all(batch)
    sent += 1000
  }
  heapAt[at] = heap()
}
if (received != 100000) throw new Error(`only ${received} of 100,000 events reached the tool`)
process.stdout.write(JSON.stringify({ events: sent, heapAt }) + '\n')
