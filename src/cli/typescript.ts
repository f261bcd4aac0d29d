/// <reference types="node" />
import type { Plugin } from 'rollup'
import { CliError } from './errors'

/**
 * Strips the types of a `--tool` component written in TypeScript. The `typescript` package is
 * an optional peer dependency: needed only for such a file, and then it is the project's own.
 */
export const typescriptPlugin = (): Plugin => ({
  name: 'tagrelay-typescript',
  async transform(code, id) {
    if (!/\.[cm]?tsx?$/.test(id) || /\.d\.[cm]?ts$/.test(id)) return null
    let ts: typeof import('typescript')
    try {
      ts = (await import('typescript')).default
    } catch {
      throw new CliError(`${id}: a TypeScript component needs the typescript package (npm install --save-dev typescript)`)
    }
    const out = ts.transpileModule(code, { fileName: id, compilerOptions: { target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.ESNext, sourceMap: true } })
    return { code: out.outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, ''), map: out.sourceMapText }
  },
})
