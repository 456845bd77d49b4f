// The Pothos builder and the per-request context type; nothing else.
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import type { Loaders } from '../loaders.js';

export interface Context {
  loaders: Loaders;
  /** The cap on representations in one `_entities` call (ENTITIES_MAX_REPRESENTATIONS). */
  entitiesMaxRepresentations: number;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    SafeInt: { Input: number; Output: number };
  };
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('SafeInt', SafeIntResolver);
