// Whose code made a long task: the Long Animation Frames API (`long-animation-frame` entries, each
// with the scripts that ran in the frame for 5 ms or more) names the script of every entry point
// (its URL, what invoked it, how long it ran); a `longtask` entry names none. Pure functions over
// the entries a page recorded, so that bench/mobile.mjs stays a driver and this can be unit-tested.

/** The threshold of a long task (the Long Tasks API's, in ms). */
export const LONG_TASK_MS = 50

/** Timestamps of the two APIs are rounded apart by at most this (ms). */
const SLACK_MS = 1

/** Our scripts' time among `scripts` (ms). */
const oursMs = (scripts, isOurs) => scripts.filter((s) => isOurs(s.sourceURL)).reduce((sum, s) => sum + s.duration, 0)

/**
 * Each long task with the frames' scripts that ran inside it: `oursMs` is the time `isOurs` scripts
 * took in it, and `caused` says the task would not have been long without them (what is left is
 * at most 50 ms). A task in which no script ran (the page's parsing, style, layout) gets 0.
 */
export function attributeTasks(longTasks, frames, isOurs) {
  const scripts = frames.flatMap((f) => f.scripts)
  return longTasks.map((task) => {
    const end = task.start + task.duration
    const inside = scripts.filter((s) => s.start >= task.start - SLACK_MS && s.start + s.duration <= end + SLACK_MS)
    const ours = oursMs(inside, isOurs)
    return { start: task.start, duration: task.duration, oursMs: ours, caused: ours > 0 && task.duration - ours <= LONG_TASK_MS }
  })
}

/** Each long frame with the time `isOurs` scripts took in it (ms; the frame may hold several tasks). */
export function attributeFrames(frames, isOurs) {
  return frames.map((f) => ({ start: f.start, duration: f.duration, blockingDuration: f.blockingDuration, oursMs: oursMs(f.scripts, isOurs) }))
}

/**
 * One page's loads, summed up: `loads` is a list of `{ tasks, frames }` as the two functions above
 * return them. Everything long, whoever's, and then our share of it.
 */
export function summariseLoads(loads) {
  const tasks = loads.flatMap((l) => l.tasks)
  const ourTasks = tasks.filter((t) => t.oursMs > 0)
  const ourFrames = loads.flatMap((l) => l.frames).filter((f) => f.oursMs > 0)
  const max = (list) => Math.max(0, ...list)
  return {
    loads: loads.length,
    longTasks: tasks.length,
    loadsWithLongTasks: loads.filter((l) => l.tasks.length).length,
    longestMs: max(tasks.map((t) => t.duration)),
    ours: {
      longTasks: ourTasks.length,
      loadsWithLongTasks: loads.filter((l) => l.tasks.some((t) => t.oursMs > 0)).length,
      caused: tasks.filter((t) => t.caused).length,
      longestInTaskMs: max(ourTasks.map((t) => t.oursMs)),
      longFrames: ourFrames.length,
      longestInFrameMs: max(ourFrames.map((f) => f.oursMs)),
    },
  }
}
