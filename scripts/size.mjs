// Prints the gzip -9 size of every script-tag file in dist/ (the bytes a visitor downloads), and
// what a typical page downloads, and the typical config's site build (scripts/site-size.mjs), then
// checks them against size-budgets.json: exits 1 over budget.
// `measureDist()` is also what `npm run bench` reports.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { measureEmptySiteBuild, measureSiteBuild, TYPICAL_CONFIG } from './site-size.mjs'

const root = fileURLToPath(new URL('../dist/', import.meta.url))
export const sizeBudgets = JSON.parse(readFileSync(new URL('../size-budgets.json', import.meta.url), 'utf8'))

/** Every script-tag file in dist/: `{ files: { name: { minified, gzip } }, typicalPage }` (bytes). Throws without dist/. */
export function measureDist() {
  const paths = []
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) {
        if (name != 'npm') walk(p)
      } else if (name.endsWith('.min.js')) paths.push(p)
    }
  }
  walk(root)
  const files = {}
  // Named without the build id (`ua.3f9a1c2e.min.js` is `ua.min.js`), as the budgets name them.
  for (const p of paths.sort()) files[relative(root, p).replace(/\.[0-9a-f]{8}(?=\.min\.js$)/, '')] = { minified: statSync(p).size, gzip: gzipSync(readFileSync(p), { level: 9 }).length }
  const typicalPage = sizeBudgets['typical page'].reduce((sum, f) => sum + (files[f]?.gzip ?? NaN), 0)
  return { files, typicalPage }
}

/**
 * Each budget with the file it holds: a name is one file; a name with `*` (`tools/*.min.js`) is the
 * budget of every file it matches that has no budget of its own.
 */
export function budgetsOf(budgets, names) {
  const exact = Object.entries(budgets).filter(([name]) => !name.includes('*'))
  const patterns = Object.entries(budgets).filter(([name]) => name.includes('*'))
  const held = new Set(exact.map(([name]) => name))
  const out = [...exact]
  for (const [pattern, budget] of patterns) {
    const re = new RegExp('^' + pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$')
    for (const name of names) if (!held.has(name) && re.test(name)) out.push([name, budget])
  }
  return out
}

function main() {
  let measured
  try {
    measured = measureDist()
  } catch {
    console.error('dist/ not found: run `npm run build` first')
    process.exit(1)
  }
  const { budgets, targets, 'typical page': typical } = sizeBudgets
  const kb = (n) => (n / 1024).toFixed(2) + ' KB'
  const sizes = { 'typical page': measured.typicalPage }
  console.log('file'.padEnd(34), 'minified'.padStart(11), 'gzip -9'.padStart(11))
  for (const [name, { minified, gzip }] of Object.entries(measured.files)) {
    sizes[name] = gzip
    console.log(name.padEnd(34), kb(minified).padStart(11), kb(gzip).padStart(11))
  }
  console.log(`${'typical page'.padEnd(34)} ${''.padStart(11)} ${kb(measured.typicalPage).padStart(11)}  (${typical.join(' + ')})`)

  let over = 0
  console.log('\nbudgets (size-budgets.json):')
  // (The site build's budget is checked with it, below.)
  for (const [name, budget] of budgetsOf(budgets, Object.keys(sizes)).filter(([name]) => name != SITE_BUILD)) {
    const size = sizes[name] / 1024
    const ok = size <= budget
    if (!ok) over++
    const target = targets[name] !== undefined ? `, target ${targets[name]} KB ${size <= targets[name] ? 'met' : 'not met'}` : ''
    console.log(`  ${ok ? 'ok  ' : 'OVER'} ${name}: ${size.toFixed(2)} KB of ${budget} KB${target}`)
  }
  over += reportSiteBuild(budgets, targets, kb)
  if (over) {
    console.error(`\n${over} file(s) over budget: cut bytes, or raise size-budgets.json with a reason in the commit`)
    process.exit(1)
  }
}

/** The typical config's site build (`tagrelay build`): its one file before the first hit, and what each part costs. Returns 1 when over budget. */
const SITE_BUILD = 'site build (typical config)'

function reportSiteBuild(budgets, targets, kb) {
  const name = SITE_BUILD
  let site
  try {
    site = measureSiteBuild()
  } catch (e) {
    console.error(`\n${name}: could not build it (${e.message.split('\n')[0]}); run \`npm run build\` first`)
    return 1
  }
  console.log(`\n${name}: tagrelay build ${TYPICAL_CONFIG}`)
  console.log(`  ${site.file.padEnd(32)} ${kb(site.minified).padStart(11)} ${kb(site.gzip).padStart(11)}  before the first hit (tools: ${site.tools.join(', ')}; in it: ${site.inline.join(', ') || 'no chunk'})`)
  for (const { part, minified, gzip } of site.breakdown) console.log(`    ${part.padEnd(44)} ${kb(minified).padStart(9)} ${('~' + kb(gzip)).padStart(10)}`)
  console.log(`  lazy: ${site.lazy.map((f) => `${f.name} ${kb(f.gzip)}`).join(', ')}`)
  // The floor under every site build: a config with no tool, no consent and nothing the page drives.
  // Not budgeted; it says how much of a site build is the runtime itself rather than its config.
  console.log(`  the same build for an empty config ({"tools":{}}): ${kb(measureEmptySiteBuild().gzip)}, the runtime that no config leaves out`)
  const size = site.gzip / 1024
  const ok = size <= budgets[name]
  console.log(`  ${ok ? 'ok  ' : 'OVER'} ${name}: ${size.toFixed(2)} KB of ${budgets[name]} KB, target ${targets[name]} KB ${size <= targets[name] ? 'met' : 'not met'}`)
  return ok ? 0 : 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) == process.argv[1]) main()
