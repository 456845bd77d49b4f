// The errors yoga's request parser throws, in our words and with the right status.
// yoga 5.24 parses the `variables` and `extensions` parameters of a GET (and of a
// form-encoded POST) with a bare JSON.parse, so a malformed value is a SyntaxError
// that yoga answers with 500: it is the caller's mistake, so 400.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function useRequestParseErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof SyntaxError) {
            throw createGraphQLError('The variables or extensions parameter is not valid JSON', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          throw error;
        }
      });
    },
  };
}
