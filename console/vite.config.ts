import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';

// The console is built into console/dist, which `switchyard serve` serves at `/`, and the hosted Connect UI (a
// second, much smaller entry: no router, no query cache, no API client) into console/dist/connect.html, which it
// serves at `/connect`. `npm run console:dev` serves both with hot reload (the Connect UI at /connect.html) and
// forwards API calls to a server on port 4000 (or SWITCHYARD_URL). Builds keep earlier hashed assets (a server started
// before a rebuild still finds the files its page names); `npm run build` starts clean.
const api = process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        index: path.join(import.meta.dirname, 'index.html'),
        connect: path.join(import.meta.dirname, 'connect.html'),
      },
    },
  },
  server: { proxy: { '/v1': api, '/hooks': api } },
});
