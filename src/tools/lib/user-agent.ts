/**
 * A small user-agent parser for the tools whose official components send the browser, OS and
 * device that ua-parser-js finds (Amplitude, Mixpanel, Segment). It knows the browsers and systems
 * that make nearly all traffic and names them as ua-parser-js 1.x does (also Tatari's `$os`); the full parser (the `ua`
 * chunk, 8.6 KB) is not loaded for this. Anything else: the fields stay undefined.
 */

export interface ParsedUserAgent {
  browser: { name?: string; version?: string }
  os: { name?: string; version?: string }
  device: { vendor?: string; model?: string }
}

/** The first pattern that matches names the browser; its group 1 is the version. */
const BROWSERS: Array<[string, RegExp]> = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/([\d.]+)/],
  ['Opera', /\bOPR\/([\d.]+)/],
  ['Samsung Internet', /\bSamsungBrowser\/([\d.]+)/],
  ['Chrome Headless', /\bHeadlessChrome\/([\d.]+)/],
  ['Chrome WebView', /; wv\).+?\bChrome\/([\d.]+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/([\d.]+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Mobile Safari', /\bVersion\/([\d.]+).+\bMobile\/\w+ Safari\//],
  ['Safari', /\bVersion\/([\d.]+).+\bSafari\//],
  // Another WebKit browser: ua-parser-js names it by its engine.
  ['WebKit', /\bAppleWebKit\/([\d.]+)/],
]

/** Windows NT versions → the names ua-parser-js gives them. */
const WINDOWS: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' }

/** The first pattern that matches names the system; its group 1 is the version (`_` read as `.`). */
const SYSTEMS: Array<[string, RegExp]> = [
  ['Windows Phone', /\bWindows Phone ([\d.]+)/],
  ['Windows', /\bWindows NT ([\d.]+)/],
  ['HarmonyOS', /\bHarmonyOS\b()/],
  ['iOS', /\b(?:iPhone|iPad|iPod)\b.*? OS (\d+(?:_\d+)*)/],
  ['Mac OS', /\bMac OS X (\d+(?:[_.]\d+)*)/],
  ['Android', /\bAndroid (\d+(?:\.\d+)*)/],
  ['Chromium OS', /\bCrOS \S+ ([\d.]+)/],
  ['KAIOS', /\bKAIOS\/([\d.]+)/i],
  ['Tizen', /\bTizen ([\d.]+)/],
  ['webOS', /\bWeb0S\b()/i],
  ['PlayStation', /\bPlayStation (\d+)/],
  ['Ubuntu', /\bUbuntu\b()/],
  ['Fedora', /\bFedora\b()/],
  ['Debian', /\bDebian\b()/],
  ['FreeBSD', /\bFreeBSD\b()/],
  ['OpenBSD', /\bOpenBSD\b()/],
  ['Linux', /\bLinux\b()/],
]

/** Android model prefixes → their maker, as ua-parser-js names them. */
const MAKERS: Array<[string, RegExp]> = [
  ['Samsung', /^(?:SM|GT|SCH)-/],
  ['Google', /^Pixel\b/],
  ['Xiaomi', /^(?:Redmi|POCO)\b/],
]

function device(ua: string): ParsedUserAgent['device'] {
  const apple = /\b(iPhone|iPad|iPod|Macintosh)\b/.exec(ua)
  if (apple) return { vendor: 'Apple', model: apple[1] }
  // Android: the model is the part after the version, up to ` Build/` or `)` (`Mobile` and `Tablet` are not models).
  const android = /\bAndroid [\d.]+; ([^;)]+?)(?: Build\/[^;)]*)?[;)]/.exec(ua)
  // (Samsung's browser writes `SAMSUNG SM-…`: the model is the second word.)
  const model = android && !/^(?:Mobile|Tablet|wv)$/.test(android[1]) ? android[1].replace(/^SAMSUNG /, '') : undefined
  if (!model) return {}
  const maker = MAKERS.find(([, pattern]) => pattern.test(model))
  return { vendor: maker?.[0], model }
}

export function parseUserAgent(ua: string): ParsedUserAgent {
  const browser: ParsedUserAgent['browser'] = {}
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua)
    if (m) {
      browser.name = name
      browser.version = m[1]
      break
    }
  }
  const os: ParsedUserAgent['os'] = {}
  for (const [name, pattern] of SYSTEMS) {
    const m = pattern.exec(ua)
    if (m) {
      os.name = name
      const version = m[1].replace(/_/g, '.')
      if (version) os.version = name == 'Windows' ? WINDOWS[version] || version : version
      break
    }
  }
  return { browser, os, device: device(ua) }
}
