import type { ConfigIssue } from '../types/config'
import { compileConfig, type CompileOptions } from './compile'
import { compileExpression } from '../expressions/index'

/**
 * Every problem in a config, each with its JSON path: for npm users, tests and tooling. Unlike the
 * runtime it always has the expression engine at hand. Selectors are checked when a `document`
 * exists (in a browser, or passed in).
 */
export function validateConfig(config: unknown, options: CompileOptions = {}): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const { errors, warnings } = compileConfig(config, {
    document: typeof document == 'object' ? document : undefined,
    expression: compileExpression,
    ...options,
  })
  return { errors, warnings }
}
