// The one refusal every request limit gives: LIMIT_EXCEEDED, naming the setting.
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

export function limitExceeded(setting: string, message: string, status = 400): GraphQLError {
  return createGraphQLError(`${message} (limit ${setting})`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit: setting, http: { status } },
  });
}
