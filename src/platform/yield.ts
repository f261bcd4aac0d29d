/**
 * Resolves in a later task, so that the page may paint and handle input in between: start-up runs
 * in steps (docs/performance.md). `scheduler.yield()` where the browser has it (the rest of the
 * start-up keeps its place ahead of other tasks), else a MessageChannel message (a task without
 * setTimeout's 4 ms clamp; every browser tagrelay supports has MessageChannel).
 */
export function yielder(w: (Window & { scheduler?: { yield?: () => Promise<void> } }) | undefined): () => Promise<void> {
  const scheduler = w?.scheduler
  if (scheduler?.yield) return () => scheduler.yield!()
  return () =>
    new Promise<void>((resolve) => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve()
      channel.port2.postMessage(undefined)
    })
}

/**
 * Resolves in a task after the page's next frame is painted (a `requestAnimationFrame` callback
 * runs before the paint; a message posted from it arrives after). Work that needs the page's style
 * and layout, such as opening the consent modal, then finds them done instead of forcing the first
 * ones inside a script. Without `requestAnimationFrame`: the next task.
 */
export function afterPaint(w: Window | undefined): () => Promise<void> {
  const nextTask = yielder(undefined)
  if (!w?.requestAnimationFrame) return nextTask
  return () =>
    new Promise<void>((resolve) => {
      w.requestAnimationFrame(() => {
        nextTask().then(resolve)
      })
    })
}

/**
 * How long start-up may run before it gives the page a turn. At 4× CPU (a mid-range phone) this is
 * 2.5 ms of a fast machine's work, so what ran before a turn adds at most 10 ms to the step after
 * it; on a fast device most steps fit in it and start-up runs in one or two tasks.
 */
export const STEP_BUDGET_MS = 10

/**
 * `turn`, only when start-up has run `STEP_BUDGET_MS` or more since it last had a turn; else at
 * once (a resolved promise). The first call always gives a turn: the script's own evaluation ran
 * just before, in the same task. Time spent waiting (for a file, say) counts as running, so a
 * wait only ever adds a turn, never removes one.
 */
export function whenLong(turn: () => Promise<void>, now: () => number): () => Promise<void> {
  let resumed = -Infinity
  const resume = () => {
    resumed = now()
  }
  return () => {
    if (now() - resumed < STEP_BUDGET_MS) return Promise.resolve()
    return turn().then(resume)
  }
}
