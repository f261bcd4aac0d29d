/**
 * The small user-agent parser the Amplitude, Mixpanel and Segment tools use: for the common
 * browsers it names browser, OS and device as ua-parser-js 1.x (what the official components use)
 * does. Each expected row is ua-parser-js 1.0.41's answer for that user agent, written out.
 */
import { describe, expect, test } from 'vitest'
import { parseUserAgent } from '../../src/tools/lib/user-agent'

type Row = [ua: string, browser: string, version: string, os: string, osVersion: string | undefined, vendor: string | undefined, model: string | undefined]

const ROWS: Row[] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome', '120.0.0.0', 'Windows', '10', undefined, undefined],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'Edge', '120.0.2210.91', 'Windows', '10', undefined, undefined],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox', '121.0', 'Windows', '10', undefined, undefined],
  ['Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36', 'Chrome', '109.0.0.0', 'Windows', '7', undefined, undefined],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari', '17.1', 'Mac OS', '10.15.7', 'Apple', 'Macintosh'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome', '120.0.0.0', 'Mac OS', '10.15.7', 'Apple', 'Macintosh'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1', 'Mobile Safari', '17.1.2', 'iOS', '17.1.2', 'Apple', 'iPhone'],
  ['Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1', 'Mobile Safari', '16.6', 'iOS', '16.6', 'Apple', 'iPad'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1', 'Chrome', '120.0.6099.119', 'iOS', '17.1', 'Apple', 'iPhone'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15', 'Firefox', '121.0', 'iOS', '17.1', 'Apple', 'iPhone'],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36', 'Chrome', '120.0.0.0', 'Android', '10', undefined, 'K'],
  ['Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36', 'Samsung Internet', '23.0', 'Android', '13', 'Samsung', 'SM-S911B'],
  ['Mozilla/5.0 (Linux; Android 10; SAMSUNG SM-G973F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/20.0 Chrome/106.0.5249.126 Mobile Safari/537.36', 'Samsung Internet', '20.0', 'Android', '10', 'Samsung', 'SM-G973F'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36', 'Chrome', '120.0.6099.144', 'Android', '14', 'Google', 'Pixel 8'],
  ['Mozilla/5.0 (Linux; Android 11; Redmi Note 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36', 'Chrome', '120.0.0.0', 'Android', '11', 'Xiaomi', 'Redmi Note 8 Pro'],
  ['Mozilla/5.0 (Linux; Android 12; SM-G991B Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.43 Mobile Safari/537.36', 'Chrome WebView', '120.0.6099.43', 'Android', '12', 'Samsung', 'SM-G991B'],
  ['Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0', 'Firefox', '121.0', 'Android', '14', undefined, undefined],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0', 'Opera', '106.0.0.0', 'Linux', undefined, undefined, undefined],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36', 'Chrome Headless', '120.0.6099.28', 'Linux', undefined, undefined, undefined],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox', '121.0', 'Ubuntu', undefined, undefined, undefined],
  ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome', '120.0.0.0', 'Chromium OS', '14541.0.0', undefined, undefined],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', 'WebKit', '605.1.15', 'Mac OS', '10.15.7', 'Apple', 'Macintosh'],
]

describe('the tools’ user-agent parser', () => {
  test.each(ROWS)('%s', (ua, browser, version, os, osVersion, vendor, model) => {
    const r = parseUserAgent(ua)
    expect([r.browser.name, r.browser.version, r.os.name, r.os.version, r.device.vendor, r.device.model]).toEqual([browser, version, os, osVersion, vendor, model])
  })

  test('an unknown user agent leaves every field undefined', () => {
    expect(parseUserAgent('curl/8.4.0')).toEqual({ browser: {}, os: {}, device: {} })
  })
})
