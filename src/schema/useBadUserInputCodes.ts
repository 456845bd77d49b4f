// graphql-js reports a bad argument value the schema itself can catch (an Int
// literal out of 32-bit range, a variable of the wrong type) without a code.
// Callers should see these as BAD_USER_INPUT, like the range checks we make in
// resolvers, so one code means "fix your arguments" wherever it is detected.
import { validate, ValuesOfCorrectTypeRule, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function markBadUserInput(error: GraphQLError): void {
  (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
}

/** A result with errors and no data at all is a request error: variables that do not coerce. */
function markRequestErrors(result: unknown): void {
  if (typeof result !== 'object' || result === null || 'data' in result || !('errors' in result)) return;
  for (const error of (result as { errors?: readonly GraphQLError[] }).errors ?? []) {
    if (!error.extensions.code) markBadUserInput(error);
  }
}

export function useBadUserInputCodes(): Plugin {
  return {
    onValidate({ params }) {
      return ({ valid, result }) => {
        if (valid) return;
        // Only on failure: find which errors are argument values of the wrong type or range.
        const valueErrors = validate(params.schema, params.documentAST, [ValuesOfCorrectTypeRule]);
        const keys = new Set(valueErrors.map((e) => `${e.message}@${JSON.stringify(e.locations)}`));
        for (const error of result) {
          if (keys.has(`${error.message}@${JSON.stringify(error.locations)}`)) markBadUserInput(error);
        }
      };
    },
    onExecute() {
      return { onExecuteDone: ({ result }) => markRequestErrors(result) };
    },
    // A subscription on this schema (which has none) fails the same way, from subscribe.
    onSubscribe() {
      return { onSubscribeResult: ({ result }) => markRequestErrors(result) };
    },
  };
}
