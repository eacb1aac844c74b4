import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// A stock `useChat` page served on its own origin (see playwright.config.ts), talking to Runyard
// on another one: `vite build e2e/use-chat-app && vite preview e2e/use-chat-app --port …`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
})
