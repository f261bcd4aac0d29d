/** The parsed user agent under `system.device.user-agent`. */
export interface UserAgentInfo {
  ua: string
  browser: { name: string; version: string }
  engine: { name: string; version: string }
  os: { name: string; version: string }
  device: string
  cpu: string
}

/** The part of ua-parser-js 1.x's result we read (its `UAParser(ua)` call form). */
export type UAParserFn = (ua: string) => {
  browser: { name?: string; version?: string }
  engine: { name?: string; version?: string }
  os: { name?: string; version?: string }
  device: { vendor?: string; model?: string; type?: string }
  cpu: { architecture?: string }
}

export function parseUserAgent(ua: string, parse: UAParserFn | undefined): UserAgentInfo {
  const r = parse?.(ua)
  const pair = (o?: { name?: string; version?: string }) => ({ name: o?.name || '', version: o?.version || '' })
  return {
    ua,
    browser: pair(r?.browser),
    engine: pair(r?.engine),
    os: pair(r?.os),
    device: r ? [r.device.vendor, r.device.model, r.device.type].filter(Boolean).join(' ') : '',
    cpu: r?.cpu.architecture || '',
  }
}
