/**
 * Where the script-tag build finds its config, in order: `window.zarazConfig`, a
 * `<script type="application/json" id="zaraz-config">`, the `data-config` URL of its own script.
 */
/**
 * Why none was found, as ids: `[0]` none, `[1, why]` the JSON script does not parse, `[2, why, url]`
 * the `data-config` URL failed. Their words are `sourceError` in the config messages (a chunk).
 */
export type SourceError = [kind: 0 | 1 | 2, why?: string, url?: string]
export type Source = { config?: unknown; error?: SourceError }
export type ConfigSource = Source | Promise<Source>

export function readConfig(w: Window & { zarazConfig?: unknown }, script: HTMLScriptElement | null): ConfigSource {
  if (w.zarazConfig !== undefined) return { config: w.zarazConfig }
  const el = w.document.getElementById('zaraz-config')
  if (el) {
    try {
      return { config: JSON.parse(el.textContent!) }
    } catch (e) {
      return { error: [1, (e as Error).message] }
    }
  }
  const url = script?.getAttribute('data-config')
  if (url)
    return w
      .fetch(url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : Promise.reject(Error('HTTP ' + r.status))))
      .then(
        (config) => ({ config }),
        (e) => ({ error: [2, (e as Error).message, url] }),
      )
  return { error: [0] }
}
