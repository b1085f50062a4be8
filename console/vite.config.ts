import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig } from 'vite';

/** The paths a running Herald answers; everything else is the console's own (history-mode routes). */
const HERALD_PATHS = ['/v1', '/auth', '/openapi.json', '/docs', '/healthz', '/readyz'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Herald modules the console shares load some packages with Node's require on first use; the browser gets them imported.
  resolve: { alias: [{ find: /^.*\/lazy-require\.ts$/, replacement: fileURLToPath(new URL('src/browser/lazy-require.ts', import.meta.url)) }] },
  plugins: [
    vue(),
    // Element Plus components and their styles are imported where a template uses them, so each lazy page carries its own.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200, reportCompressedSize: false },
  server: {
    // `npm run console:dev`: the browser talks to Vite only, so requests are same-origin (Sec-Fetch-Site) as Herald's CSRF guard wants.
    proxy: Object.fromEntries(HERALD_PATHS.map((prefix) => [prefix, { target: process.env.HERALD_URL ?? 'http://127.0.0.1:8080', changeOrigin: true }])),
  },
});
