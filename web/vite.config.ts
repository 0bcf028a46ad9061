/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The Rust server (`didtron serve`) listens here in development.
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    // dist/.vite/manifest.json: which chunks and style sheets each entry and lazy route needs
    // (read by scripts/size-budget.mjs).
    manifest: true,
    // Two pages: the SPA (served for every non-/api path) and the API reference
    // (served by didtron at /api/docs).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        'api-docs': fileURLToPath(new URL('./api-docs.html', import.meta.url)),
      },
    },
    // The API viewer is large; it only loads on the docs page.
    chunkSizeWarningLimit: 4096,
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
    },
  },
  // `vite preview --port 8080` stands in for didtron during front-end work;
  // proxying to 8080 from there would loop, so preview serves dist/ only.
  preview: {
    proxy: {},
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
