import { defineConfig } from 'vite';
import { staticFiles } from './static-files.js';

export default defineConfig({
  // relative URLs: the built page works from any folder or static host
  base: './',
  plugins: [staticFiles()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
