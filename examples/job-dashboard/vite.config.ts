// `npm run example:dashboard` builds with this and serves the build with
// `vite preview`: a static server, no dev server. The GraphQL endpoint and the
// way documents are sent are fixed at build time, as a frontend release's are.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const graphqlUrl = new URL(process.env.GRAPHQL_URL || 'http://127.0.0.1:4000/graphql');
const trustedDocuments = process.env.TRUSTED_DOCUMENTS === 'true';
const port = Number(process.env.DASHBOARD_PORT || 5173);
if (!/^https?:$/.test(graphqlUrl.protocol))
  throw new Error(`GRAPHQL_URL must be an http(s) URL, not ${graphqlUrl.href}`);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`DASHBOARD_PORT must be a port number, not ${process.env.DASHBOARD_PORT}`);

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  define: {
    'import.meta.env.GRAPHQL_URL': JSON.stringify(graphqlUrl.href),
    'import.meta.env.TRUSTED_DOCUMENTS': JSON.stringify(trustedDocuments),
  },
  build: { outDir: 'dist', emptyOutDir: true },
  preview: {
    host: '127.0.0.1',
    port,
    strictPort: true,
    headers: {
      // The page loads only its own files and talks only to the GraphQL endpoint.
      'Content-Security-Policy': [
        "default-src 'self'",
        `connect-src ${graphqlUrl.origin}`,
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  },
});
