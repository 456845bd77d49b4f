// Guards the federation `_entities` field. @apollo/subgraph throws a plain Error
// (masked as "Unexpected error.", and failing every representation) when one
// representation is not an object or names a type we do not own; a gateway that
// sends such a thing gets a BAD_USER_INPUT naming it instead, before any upstream call.
// The number of representations is capped too: each may cost an upstream call,
// which the field's upstream cost declares.
import { isUnionType, type GraphQLSchema } from 'graphql';
import type { Context } from './context.js';
import { distinct, upstreamCost } from './upstreamCost.js';
import { badUserInput } from './validation.js';

export const DEFAULT_MAX_REPRESENTATIONS = 500;

export function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(entityUnion)) return schema;

  // Each distinct job resolves the selection below it once; the loaders share a repeated one.
  field.extensions = {
    ...field.extensions,
    ...upstreamCost({
      fanOut: ({ representations }) => distinct(representations, (r) => (r as { jobId?: unknown } | null)?.jobId),
    }),
  };
  const entityNames = new Set(entityUnion.getTypes().map((type) => type.name));
  const resolve = field.resolve;
  field.resolve = (source, args: { representations: unknown[] }, context: Context, info) => {
    // The schema is built once per process; the limit is per app, so it travels in the context.
    const max = context.entitiesMaxRepresentations;
    if (args.representations.length > max) {
      throw badUserInput(
        `_entities accepts at most ${max} representations (got ${args.representations.length}); the limit is ENTITIES_MAX_REPRESENTATIONS`,
        'representations',
      );
    }
    args.representations.forEach((representation, i) => {
      if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
        throw badUserInput(`representations[${i}] must be an object`, 'representations');
      }
      const typename = (representation as { __typename?: unknown }).__typename;
      if (typeof typename !== 'string' || !entityNames.has(typename)) {
        throw badUserInput(
          `representations[${i}].__typename must be one of this subgraph's entities: ${[...entityNames].join(', ')}`,
          'representations',
        );
      }
    });
    return resolve(source, args, context, info);
  };
  return schema;
}
