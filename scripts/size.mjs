// Prints the gzip -9 size of every script-tag file in dist/ (the bytes a visitor downloads).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = new URL('../dist/', import.meta.url).pathname
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
console.log('file'.padEnd(34), 'minified'.padStart(11), 'gzip -9'.padStart(11))
for (const p of files.sort()) {
  console.log(relative(root, p).padEnd(34), kb(statSync(p).size).padStart(11), kb(gz(p)).padStart(11))
}
