// The errors yoga's request parser throws, in our words and with the right status.
// yoga 5.24 parses the `variables` and `extensions` parameters of a GET (and of a
// form-encoded POST) with a bare JSON.parse, so a malformed value is a SyntaxError
// that yoga answers with 500: it is the caller's mistake, so 400. A body that is
// not JSON gets yoga's own 400 without the parser's text (which echoes the body),
// and the same 400 in JSON whatever the client accepts: over text/event-stream
// yoga would answer it 200, as one event.
import { GraphQLError } from 'graphql';
import { createGraphQLError, processRegularResult, type Plugin } from 'graphql-yoga';

export function useRequestParseErrors(): Plugin {
  const unparsed = new WeakSet<Request>();
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (parsed) => {
        try {
          return await requestParser(parsed);
        } catch (error) {
          if (error instanceof SyntaxError) {
            unparsed.add(request);
            throw createGraphQLError('The variables or extensions parameter is not valid JSON', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          if (error instanceof GraphQLError && error.extensions.originalError !== undefined) {
            unparsed.add(request);
            // Without yoga's `spec` flag, which would make it 200 for clients accepting application/json.
            const { originalError: _parserText, http: _status, ...extensions } = error.extensions;
            throw createGraphQLError(error.message, { extensions: { ...extensions, http: { status: 400 } } });
          }
          throw error;
        }
      });
    },
    onResultProcess({ request, setResultProcessor }) {
      if (unparsed.has(request)) setResultProcessor(processRegularResult, 'application/json');
    },
  };
}
