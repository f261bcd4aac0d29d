/**
 * What a site build compiles in: `tagrelay build` (src/cli/site-build.ts) replaces this module
 * with the checked config, the tools it names (bundled in the same file) and the URL of every
 * lazily loaded file. This placeholder is never part of a build that runs.
 */
import type { ToolModule } from '../tools/host/host'

import type { CompiledConfig } from '../config/link'

/** The config, compiled and checked at build time. */
export const compiled: CompiledConfig = {} as CompiledConfig
/** The parts of the config the runtime reads besides its model (consent, `debugKey`, `dataLayer`…). */
export const config: unknown = {}
/** Components by name, in the same file as the core. */
export const tools: Record<string, ToolModule> = {}
/** A lazily loaded file's name (next to the core), by chunk name (`ua`, `consent-modal`…). */
export const files: Record<string, string> = {}
/** The chunks this config needs at every start (its expressions, its page rules…), in the core: what each file would register. */
export const inline: Record<string, unknown> = {}
