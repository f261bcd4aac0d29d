// bench/attribute.mjs: which long tasks and frames tagrelay's scripts ran in (fixed entries, as a
// page's PerformanceObservers would record them), for the mobile start-up bench.
import { describe, expect, it } from 'vitest'
import { attributeFrames, attributeTasks, summariseLoads, type Frame } from '../../bench/attribute.mjs'

const ours = (url: string) => url.startsWith('http://127.0.0.1/dist/')
const script = (start: number, duration: number, sourceURL: string) => ({ start, duration, sourceURL })

// One load: a 120 ms task of the page's own (parsing, one inline script), a 70 ms task mostly
// tagrelay's core, and a frame holding two short tasks of tagrelay's tool file.
const frames: Frame[] = [
  { start: 0, duration: 130, blockingDuration: 70, scripts: [script(10, 8, 'http://127.0.0.1/page.html')] },
  { start: 200, duration: 80, blockingDuration: 20, scripts: [script(201, 55, 'http://127.0.0.1/dist/tagrelay.min.js'), script(258, 9, 'http://127.0.0.1/page.html')] },
  { start: 400, duration: 60, blockingDuration: 0, scripts: [script(401, 20, 'http://127.0.0.1/dist/tools/http-request.min.js'), script(430, 25, 'http://127.0.0.1/dist/tools/http-request.min.js')] },
]
const longTasks = [
  { start: 0, duration: 120 },
  { start: 200, duration: 70.4 },
]

describe('bench/attribute.mjs', () => {
  it('gives each long task the time our scripts took inside it, and whether it was long only because of them', () => {
    expect(attributeTasks(longTasks, frames, ours)).toEqual([
      { start: 0, duration: 120, oursMs: 0, caused: false },
      { start: 200, duration: 70.4, oursMs: 55, caused: true },
    ])
  })

  it('does not call a task caused by us when it stays long without our scripts', () => {
    const [task] = attributeTasks([{ start: 0, duration: 200 }], [{ start: 0, duration: 210, blockingDuration: 150, scripts: [script(5, 30, 'http://127.0.0.1/dist/tagrelay.min.js')] }], ours)
    expect(task).toEqual({ start: 0, duration: 200, oursMs: 30, caused: false })
  })

  it('leaves out scripts outside the task, and counts a script at the edges within the timestamps\' rounding', () => {
    const [task] = attributeTasks([{ start: 100, duration: 60 }], [{ start: 90, duration: 80, blockingDuration: 10, scripts: [script(95, 10, 'http://127.0.0.1/dist/tagrelay.min.js'), script(99.5, 61, 'http://127.0.0.1/dist/tagrelay.min.js')] }], ours)
    expect(task.oursMs).toBe(61)
  })

  it('sums our scripts per frame, across the tasks of the frame', () => {
    expect(attributeFrames(frames, ours).map((f) => f.oursMs)).toEqual([0, 55, 45])
  })

  it('sums loads up: everything long, then our share', () => {
    const load = { tasks: attributeTasks(longTasks, frames, ours), frames: attributeFrames(frames, ours) }
    const quiet = { tasks: [], frames: [] }
    expect(summariseLoads([load, quiet])).toEqual({
      loads: 2,
      longTasks: 2,
      loadsWithLongTasks: 1,
      longestMs: 120,
      ours: { longTasks: 1, loadsWithLongTasks: 1, caused: 1, longestInTaskMs: 55, longFrames: 2, longestInFrameMs: 55 },
    })
  })
})
