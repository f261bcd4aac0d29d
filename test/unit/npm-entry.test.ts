import { beforeEach, expect, test } from 'vitest'
import { setup, resetPage } from './helpers'

beforeEach(resetPage)

test('createZaraz({ tools }) with a value that is not a component warns once, as registerTool does, and the others still work', async () => {
  const got: string[] = []
  const config = {
    tools: {
      a: { type: 'component', component: 'mine', automatedActions: { track: false } },
      b: { type: 'component', component: 'good', automatedActions: { track: true } },
    },
  }
  // A common slip: the module namespace (`import * as mine`) instead of its default export.
  const good = (m: { addEventListener(t: string, f: (e: { name?: string }) => void): unknown }) => void m.addEventListener('event', (e) => got.push(e.name!))
  const { zaraz, console } = setup(config, { tools: { mine: { default: () => undefined } as never, good: good as never } })
  await zaraz.track('x')
  expect(got).toEqual(['x'])
  expect(console.lines.map((l) => [l.level, l.args.join(' ')])).toEqual([
    ['warn', expect.stringContaining('zaraz.registerTool("mine") expects a Managed Component function')],
  ])
})
