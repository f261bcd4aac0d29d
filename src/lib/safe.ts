/** Runs `f`; anything it throws becomes `undefined` (storage that is blocked, a policy the page refuses…). */
export const safe = <T>(f: () => T): T | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}
