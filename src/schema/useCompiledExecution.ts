// Runs queries through graphql-jit, which compiles a document once into a
// function that executes it several times cheaper than graphql-js walks it.
// The answers stay graphql-js's, errors included: variables are coerced by
// graphql-js first, and any that fail leave the request to graphql-js, which
// refuses them as it always has (useBadUserInputCodes gives them BAD_USER_INPUT).
// A document the compiler refuses, and anything but a query, stays with
// graphql-js too. When a compiled run ends with errors, graphql-js runs the
// query again and its answer is the one given: the compiler locates, orders and
// prunes errors its own way (it reports every failed field, where graphql-js
// stops at the first one that nulls a parent). The second run costs no upstream
// call: the request's loaders already hold every page, and every failure.
// The compiler is loaded in the background when the app is made, and graphql-js
// runs the queries until it is there: it is 50 ms of a cold start otherwise.
import {
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { perOperation } from './perOperation.js';

/** A compiled query, or false for one left to graphql-js. */
type Compiled = { operation: OperationDefinitionNode; query: CompiledQuery['query'] } | false;

type Compiler = typeof import('graphql-jit');

function compile(
  jit: Compiler,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
): Compiled {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return false;
  // Its errors are never shown (see above), so capturing their stacks would be wasted.
  const compiled = jit.compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
  return jit.isCompiledQuery(compiled) ? { operation, query: compiled.query } : false;
}

export function useCompiledExecution(): Plugin {
  let jit: Compiler | undefined;
  // Should it fail to load, graphql-js goes on running every query, as it would have.
  import('graphql-jit').then(
    (loaded) => {
      jit = loaded;
    },
    () => undefined,
  );
  // Only asked once jit has loaded.
  const compiledFor = perOperation((schema, document, operationName) => compile(jit!, schema, document, operationName));

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (!jit) return;
      const entry = compiledFor(args.schema, args.document, args.operationName);
      if (!entry) return;
      const variables = getVariableValues(
        args.schema,
        entry.operation.variableDefinitions ?? [],
        args.variableValues ?? {},
      );
      if (variables.errors) return;
      setExecuteFn(async (execution) => {
        const result = await entry.query(execution.rootValue, execution.contextValue, execution.variableValues);
        return result.errors?.length ? executeFn(execution) : result;
      });
    },
  };
}
