/**
 * The script-tag bundle: reads the config, installs `window.zaraz`, replays what the loader stub
 * queued, and loads the user-agent parser and built-in tools as separate files only when the
 * config needs them.
 */
import { BUILT_IN_TOOLS } from '../tools/built-ins'
import { readConfig } from './config-source'
import { claimPage } from './owner'
import { bootScriptTag } from './script-tag'
import type { ToolModule } from '../tools/host/host'

// A second copy touches nothing: not `window.zaraz`, not the stub's queue, not the chunk registry.
if (claimPage(window))
  bootScriptTag(window, {
    source: readConfig,
    builtIns(load) {
      const builtIns: Record<string, () => Promise<ToolModule>> = {}
      for (const name of BUILT_IN_TOOLS) builtIns[name] = () => load('tool:' + name) as Promise<ToolModule>
      return builtIns
    },
  })
