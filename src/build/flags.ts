/**
 * Build-time constants. The generic builds (script tag, npm) keep every part of the runtime: each
 * constant here is `true`. `tagrelay build` (src/cli/site-build.ts) replaces this module for one
 * config, and the parts that config cannot reach go as dead code (rollup, then terser, drop an
 * `if (CONSTANT)` whose constant is `false`). Use them as plain `if` conditions.
 */

/**
 * The config is compiled in the browser, and may be invalid there. False: `tagrelay build` compiled
 * and checked it (src/config/link.ts); neither the compiler nor the words of problems are needed.
 */
export const CONFIG_COMPILER: boolean = true
/** Some trigger is driven by the page (click, form, timer, scroll, visibility, variable): the page rules are armed. */
export const PAGE_RULES: boolean = true
/** `dataLayer: true`: GTM's data layer is read. */
export const DATA_LAYER: boolean = true
/** `historyChange: true`: SPA navigations are watched. */
export const HISTORY_CHANGE: boolean = true
/** The config has a `debugKey`: debug mode can be on. */
export const DEBUG_MODE: boolean = true
