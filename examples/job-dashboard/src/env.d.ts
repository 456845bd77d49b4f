// Set by vite.config.ts at build time.
interface ImportMetaEnv {
  readonly GRAPHQL_URL: string;
  readonly TRUSTED_DOCUMENTS: boolean;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
