/**
 * What a site build compiles in: `tagrelay build` (src/cli/site-build.ts) replaces this module
 * with the checked config, the tools it names (bundled in the same file) and the URL of every
 * lazily loaded file. This placeholder is never part of a build that runs.
 */
import type { ToolModule } from '../tools/host/host'

export const config: unknown = {}
/** Components by name, in the same file as the core. */
export const tools: Record<string, ToolModule> = {}
/** A lazily loaded file's URL, by chunk name (`ua`, `consent-modal`…). */
export const files: Record<string, string> = {}
