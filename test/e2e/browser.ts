// The e2e tests launch Chromium the one way the project does (scripts/chromium.mjs, shared with the benchmarks).
export { CHROMIUM_PATH, launchChromium } from '../../scripts/chromium.mjs'
