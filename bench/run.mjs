// npm run bench: every benchmark, in one run (build first: npm run build).
import { benchRouting } from './routing.mjs'

const { sizes, results, ratio } = await benchRouting()
console.log('## Routing scale (Node ' + process.version + ', µs per event, median of 5 runs × 5,000 events)')
for (const n of sizes) console.log(`${String(n).padStart(6)} triggers: ${results[n].toFixed(2)} µs`)
console.log(`ratio 10,000 / 10 triggers: ${ratio.toFixed(2)}×`)
