/**
 * The entry of a site build (`tagrelay build`): the script-tag bundle with the config checked at
 * build time and the tools it names in the same file; only rarely used parts (the consent modal,
 * the debugger, the user-agent parser…) are separate files, at the URLs the build wrote.
 */
import { compiled, config, files, inline, tools } from './site-config'
import { claimPage } from './owner'
import { bootScriptTag } from './script-tag'
import type { ToolModule } from '../tools/host/host'

if (claimPage(window)) {
  // Registered as their files would register themselves (src/platform/chunks.ts): never fetched.
  ;(window.tagrelayChunks ||= []).push(...Object.entries(inline))
  bootScriptTag(window, {
    source: () => ({ config }),
    compiled,
    builtIns() {
      const builtIns: Record<string, () => Promise<ToolModule>> = {}
      for (const name of Object.keys(tools)) builtIns[name] = () => Promise.resolve(tools[name])
      return builtIns
    },
    fileOf: (name) => files[name],
  })
}
