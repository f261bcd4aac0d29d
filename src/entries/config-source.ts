/**
 * Where the script-tag build finds its config, in order: `window.zarazConfig`, a
 * `<script type="application/json" id="zaraz-config">`, the `data-config` URL of its own script.
 */
export type Source = { config?: unknown; error?: string }
export type ConfigSource = Source | Promise<Source>

export function readConfig(w: Window & { zarazConfig?: unknown }, script: HTMLScriptElement | null): ConfigSource {
  if (w.zarazConfig !== undefined) return { config: w.zarazConfig }
  const el = w.document.getElementById('zaraz-config')
  if (el) {
    try {
      return { config: JSON.parse(el.textContent!) }
    } catch (e) {
      return { error: `<script id="zaraz-config"> is not valid JSON: ${(e as Error).message}` }
    }
  }
  const url = script?.getAttribute('data-config')
  if (url)
    return w
      .fetch(url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : Promise.reject(Error('HTTP ' + r.status))))
      .then(
        (config) => ({ config }),
        (e) => ({ error: `could not load the config from data-config="${url}": ${(e as Error).message}` }),
      )
  return { error: 'no config found: set window.zarazConfig, add <script type="application/json" id="zaraz-config">, or give the script a data-config URL' }
}
