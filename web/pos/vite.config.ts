import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The terminal app, served by the API server at /pos (src/http/web.ts); installable on a phone or a smart POS.
export default defineConfig({
  root: import.meta.dirname,
  base: '/pos/',
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      manifest: {
        name: 'refundkey 收银台',
        short_name: '收银台',
        start_url: '/pos/',
        scope: '/pos/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0958d9',
        // web/pos/public/icons: the SVG is the source; the PNGs are it rendered at the sizes installers ask for.
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      // The app shell only: API answers are never cached (a stale sale or refund would be worse than none).
      workbox: {
        navigateFallback: '/pos/index.html',
        globPatterns: ['**/*.{js,css,html,png,svg}'],
        maximumFileSizeToCacheInBytes: 8_000_000,
      },
    }),
  ],
  build: { outDir: '../../dist/web/pos', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
