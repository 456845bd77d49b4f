// `npm run codegen`: typed documents and the trusted-documents manifest from
// schema.graphql and the graphql() documents in src/.
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

const here = import.meta.dirname;

const config: CodegenConfig = {
  schema: `${here}/../../schema.graphql`,
  documents: [`${here}/src/**/*.tsx`],
  ignoreNoDocuments: false,
  generates: {
    [`${here}/src/gql/`]: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
        persistedDocuments: {
          // The preset's 'sha256' writes "sha256:<hex>"; the server's
          // PERSISTED_OPERATIONS_FILE and extensions.persistedQuery.sha256Hash take bare hex.
          hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
        },
      },
      config: {
        useTypeImports: true,
        strictScalars: true,
        scalars: { DateTime: 'string', SafeInt: 'number' },
      },
    },
  },
};

export default config;
