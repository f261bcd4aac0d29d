import { expect, test } from 'vitest'
import { browserEnv } from '../../src/platform/env'
import { STEP_BUDGET_MS, whenLong } from '../../src/platform/yield'
import { createRuntime } from '../../src/runtime'
import { createFakeClock } from '../../src/testing/fake-clock'
import { createRecordingTransport } from '../../src/testing/recording-transport'
import { recordingConsole } from './helpers'
import type { ManagedComponent } from '../../src/types/mc'

/** A `yield` whose turns the test hands out one by one: each stands for a task of the page. */
function turns() {
  const waiting: Array<() => void> = []
  return {
    yield: () => new Promise<void>((resolve) => waiting.push(resolve)),
    /** Lets the next turn begin, and what it queued in microtasks run. */
    async next() {
      waiting.shift()?.()
      for (let i = 0; i < 20; i++) await Promise.resolve()
    },
    get pending() {
      return waiting.length
    },
  }
}

test('start-up gives the page a turn before compiling the config, before starting the tools, before running a tool whose file arrived and before the first dispatch', async () => {
  const t = turns()
  const log: string[] = []
  const sink: ManagedComponent = (manager) => {
    log.push('component run')
    manager.addEventListener('pageview', () => {
      log.push('pageview')
    })
  }
  const config = new Proxy({ tools: { s: { component: 'sink', automatedActions: { pageview: true } } } } as Record<string, unknown>, {
    get(target, key) {
      if (key == 'tools' && !log.includes('config read')) log.push('config read')
      return target[key as string]
    },
  })
  createRuntime({
    config,
    env: browserEnv({ console: recordingConsole().log, clock: createFakeClock() }),
    transport: createRecordingTransport(),
    // A built-in starts loading when the tools start (host.prepare).
    builtIns: {
      sink: () => {
        log.push('tools started')
        return Promise.resolve({ default: sink })
      },
    },
    yield: t.yield,
  })
  for (let i = 0; i < 20; i++) await Promise.resolve()
  // Nothing of the start-up ran on the page's stack: it waits for the page's next turn.
  expect(log).toEqual([])
  await t.next()
  expect(log).toEqual(['config read'])
  await t.next()
  // The tools start in this turn (their files are asked for); the first event waits for the next.
  expect(log).toEqual(['config read', 'tools started'])
  await t.next()
  // The first dispatch's turn: the tool's file arrived in the turn before, but its component waits
  // for a turn of its own (in a browser the file is evaluated in one task, the tool runs in a later
  // one), so the pageview is held for it.
  expect(log).toEqual(['config read', 'tools started'])
  await t.next()
  expect(log).toEqual(['config read', 'tools started', 'component run', 'pageview'])
  expect(t.pending).toBe(0)
})

test('without `yield` start-up runs in microtasks, as before (npm builds and tests)', async () => {
  const log: string[] = []
  const sink: ManagedComponent = (manager) => {
    manager.addEventListener('pageview', () => {
      log.push('pageview')
    })
  }
  createRuntime({
    config: { tools: { s: { component: 'sink', automatedActions: { pageview: true } } } },
    env: browserEnv({ console: recordingConsole().log, clock: createFakeClock() }),
    transport: createRecordingTransport(),
    tools: { sink },
  })
  for (let i = 0; i < 50; i++) await Promise.resolve()
  expect(log).toEqual(['pageview'])
})

test('whenLong: a turn at the first call, then only once start-up has run STEP_BUDGET_MS since its last turn', async () => {
  let now = 0
  let turns = 0
  const paced = whenLong(() => {
    turns++
    return Promise.resolve()
  }, () => now)
  // The first step always waits for a turn: the script's evaluation ran in this task.
  await paced()
  expect(turns).toBe(1)
  // A short step: the next one follows in the same task.
  now += STEP_BUDGET_MS - 1
  await paced()
  expect(turns).toBe(1)
  // The steps since the last turn took the budget: a turn.
  now += 1
  await paced()
  expect(turns).toBe(2)
  // Counted from the end of that turn.
  now += STEP_BUDGET_MS - 1
  await paced()
  expect(turns).toBe(2)
})
