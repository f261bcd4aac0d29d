// Prints the gzip -9 size of every script-tag file in dist/ (the bytes a visitor downloads), and
// what a typical page downloads, then checks them against size-budgets.json: exits 1 over budget.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = new URL('../dist/', import.meta.url).pathname
const { budgets, targets, 'typical page': typical } = JSON.parse(readFileSync(new URL('../size-budgets.json', import.meta.url), 'utf8'))
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) {
      if (name != 'npm') walk(p)
    } else if (name.endsWith('.min.js')) files.push(p)
  }
}
try {
  walk(root)
} catch {
  console.error('dist/ not found: run `npm run build` first')
  process.exit(1)
}
const gz = (p) => gzipSync(readFileSync(p), { level: 9 }).length
const kb = (n) => (n / 1024).toFixed(2) + ' KB'
const sizes = {}
console.log('file'.padEnd(34), 'minified'.padStart(11), 'gzip -9'.padStart(11))
for (const p of files.sort()) {
  const name = relative(root, p)
  sizes[name] = gz(p)
  console.log(name.padEnd(34), kb(statSync(p).size).padStart(11), kb(sizes[name]).padStart(11))
}
sizes['typical page'] = typical.reduce((sum, f) => sum + (sizes[f] ?? 0), 0)
console.log(`${'typical page'.padEnd(34)} ${''.padStart(11)} ${kb(sizes['typical page']).padStart(11)}  (${typical.join(' + ')})`)

let over = 0
console.log('\nbudgets (size-budgets.json):')
for (const [name, budget] of Object.entries(budgets)) {
  const size = sizes[name] / 1024
  const ok = size <= budget
  if (!ok) over++
  const target = targets[name] !== undefined ? `, target ${targets[name]} KB ${size <= targets[name] ? 'met' : 'not met'}` : ''
  console.log(`  ${ok ? 'ok  ' : 'OVER'} ${name}: ${size.toFixed(2)} KB of ${budget} KB${target}`)
}
if (over) {
  console.error(`\n${over} file(s) over budget: cut bytes, or raise size-budgets.json with a reason in the commit`)
  process.exit(1)
}
