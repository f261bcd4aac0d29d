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
