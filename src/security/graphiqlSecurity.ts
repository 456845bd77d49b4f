// The GraphiQL page, safe in a browser: rendered once per distinct page, with a
// CSP that allows exactly its own scripts, and security headers on every answer.
import { createHash } from 'node:crypto';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * The bundled GraphiQL is one inline script (Monaco starts its workers from blob:
 * URLs) and inline styles. Its CSP allows exactly the scripts of the pages this
 * app rendered, by hash, and lets the page talk to this origin only.
 */
function graphiqlCsp(scriptHashes: Iterable<string>): string {
  return [
    "default-src 'none'",
    `script-src ${[...scriptHashes].join(' ') || "'none'"}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface GraphiQLSecurity {
  /** For yoga's renderGraphiQL option: renders each distinct page once and remembers its scripts. */
  render(options: GraphiQLOptions): Promise<string>;
  /** nosniff on every answer; on HTML (the GraphiQL page) also the CSP, no framing and no referrer. */
  headers: Plugin;
}

export function graphiqlSecurity(): GraphiQLSecurity {
  const pages = new Map<string, string>();
  const scriptHashes = new Set<string>();
  return {
    async render(options) {
      const key = JSON.stringify(options);
      let html = pages.get(key);
      if (html === undefined) {
        // Loaded on the first page view: the bundled GraphiQL costs ~45 MB of RSS,
        // which a production server with GraphiQL off never pays.
        const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
        html = renderGraphiQL(options);
        for (const match of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
          scriptHashes.add(`'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`);
        }
        pages.set(key, html);
      }
      return html;
    },
    headers: {
      onResponse({ response }) {
        response.headers.set('X-Content-Type-Options', 'nosniff');
        if (response.headers.get('content-type')?.startsWith('text/html')) {
          response.headers.set('Content-Security-Policy', graphiqlCsp(scriptHashes));
          response.headers.set('X-Frame-Options', 'DENY');
          response.headers.set('Referrer-Policy', 'no-referrer');
        }
      },
    },
  };
}
