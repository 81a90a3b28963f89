import { defineConfig } from 'vite';

// A static site: `vite build` writes dist/, `vite preview` serves it (the start command uses
// port 5173). The connector's URL is `?connector=https://localhost:PORT`, else the build's
// VITE_CONNECTOR_URL, else the SDK's default (https://localhost:51983).
export default defineConfig({
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 5173, strictPort: true, host: 'localhost' },
  server: { port: 5173, host: 'localhost' },
});
