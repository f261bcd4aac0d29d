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
