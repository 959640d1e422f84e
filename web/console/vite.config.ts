import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The back-office console, served by the API server at /console (src/http/web.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: { outDir: '../../dist/web/console', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
