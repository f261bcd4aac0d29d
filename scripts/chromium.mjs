// Debian's headless Chromium, as the e2e tests and the benchmarks launch it (never a downloaded browser).
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Without the background-networking flags Chromium tries the network at every start; this machine has none. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/**
 * Launches headless Chromium (Playwright gives each launch a fresh temporary profile). Throws, so
 * that tests fail rather than skip, when the browser is not installed.
 */
export async function launchChromium(extraArgs = []) {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium`)
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] })
}
