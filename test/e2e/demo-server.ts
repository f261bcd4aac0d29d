// Typed access to scripts/demo-server.mjs (plain JavaScript, run by node without a build step).
// The module is imported by URL so that TypeScript does not need declarations for a .mjs file;
// the shapes below are the server's documented API (docs/demo.md).

export interface CollectedRequest {
  /** ms since the epoch, when the server received the request */
  at: number
  method: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string | string[] | undefined>
  /** JSON (also from text/plain), an object for urlencoded, raw text otherwise, null if empty */
  body: unknown
}

export interface DemoServerOptions {
  port?: number
  host?: string
  quiet?: boolean
  delayBundleMs?: number
  /** A folder of pages served at `/` instead of examples/shop. */
  root?: string
  /** Answer a missing page path without a file extension with the root's index.html (SPA deep links). */
  spaFallback?: boolean
  /** The share (0 to 1) of collector requests refused at random with a 503, not recorded. */
  refuse?: number
}

export interface DemoServer {
  url: string
  port: number
  collected: CollectedRequest[]
  /** How many collector requests were refused (`refuse`). */
  readonly refused: number
  /** When the collector last dropped a request because it was `down` (ms since the epoch; 0: never). */
  readonly droppedAt: number
  /** While true the collector drops every connection (a network error in the browser). */
  down: boolean
  /** While true the collector never answers: a request stays open until the server closes. */
  hang: boolean
  clear(): void
  close(): Promise<void>
}

interface DemoServerModule {
  startDemoServer(options?: DemoServerOptions): Promise<DemoServer>
  parseBody(raw: Uint8Array | null, contentType?: string): unknown
  formatLogLine(entry: CollectedRequest, options?: { color?: boolean }): string
}

export const demoServerModuleUrl = new URL('../../scripts/demo-server.mjs', import.meta.url)

export async function loadDemoServerModule(): Promise<DemoServerModule> {
  return (await import(/* @vite-ignore */ demoServerModuleUrl.href)) as DemoServerModule
}

export async function startDemoServer(options?: DemoServerOptions): Promise<DemoServer> {
  const mod = await loadDemoServerModule()
  return mod.startDemoServer(options)
}
