import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// In your app, `npm install tagrelay` and drop the alias. This example lives inside the tagrelay
// repository, so `tagrelay` points at the repository root: Vite then reads the root package.json's
// `exports` map and gets `dist/npm/index.js` (run `npm run build` first), exactly as it would from
// node_modules.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: { alias: [{ find: /^tagrelay$/, replacement: repoRoot }] },
})
