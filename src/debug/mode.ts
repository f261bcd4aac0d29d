/** Debug mode is on when the `zarazDebug` cookie holds the config's `debugKey`. */
export function debugEnabled(doc: Document | undefined, debugKey: string | undefined): boolean {
  if (!debugKey) return false
  let cookie = ''
  try {
    cookie = doc?.cookie ?? ''
  } catch {
    return false
  }
  for (const pair of cookie.split(';')) {
    const i = pair.indexOf('=')
    if (i > 0 && pair.slice(0, i).trim() == 'zarazDebug') {
      try {
        return decodeURIComponent(pair.slice(i + 1).trim()) == debugKey
      } catch {
        return false
      }
    }
  }
  return false
}
