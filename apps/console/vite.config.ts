import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `pnpm dev`: Vite serves the console with HMR and forwards API traffic to the Runyard server
// (started by the same command on its default port). tRPC subscriptions are SSE over /trpc.
const server = process.env.RUNYARD_DEV_SERVER ?? 'http://127.0.0.1:7700'
const proxied = ['/trpc', '/api', '/v1', '/openapi.json', '/docs']

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: Object.fromEntries(proxied.map((p) => [p, { target: server, changeOrigin: false }])) },
  preview: { proxy: Object.fromEntries(proxied.map((p) => [p, { target: server, changeOrigin: false }])) },
})
