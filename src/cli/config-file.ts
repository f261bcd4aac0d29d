/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { validateConfig } from '../config/validate'
import type { ConfigIssue } from '../types/config'
import { CliError } from './errors'

/** Reads a config file as JSON: a missing file or text that is not JSON is one clear line. */
export function readConfigFile(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code == 'ENOENT') throw new CliError(`${file}: no such file`)
    if (code == 'EISDIR') throw new CliError(`${file}: is a directory, not a config file`)
    throw new CliError(`${file}: cannot be read (${code ?? (e as Error).message})`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new CliError(`${file}: not JSON (${(e as Error).message})`)
  }
}

export interface Checked {
  config: unknown
  errors: ConfigIssue[]
  warnings: ConfigIssue[]
}

/** Reads and checks a config: every error and warning with its JSON path. */
export function checkConfigFile(file: string): Checked {
  const config = readConfigFile(file)
  return { config, ...validateConfig(config) }
}

const line = (kind: string, { path, message }: ConfigIssue) => `${kind} ${path ? path + ': ' : ''}${message}`

/** The problems as lines, errors first, then a summary line naming the file. */
export function describeProblems(file: string, { errors, warnings }: Checked): string[] {
  const count = (n: number, what: string) => `${n} ${what}${n == 1 ? '' : 's'}`
  return [...errors.map((i) => line('error  ', i)), ...warnings.map((i) => line('warning', i)), `${file}: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}`]
}
