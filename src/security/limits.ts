// Operation size limits (MAX_DEPTH, MAX_ALIASES, MAX_TOKENS, MAX_DIRECTIVES) via
// graphql-armor, and the request body limit (MAX_BODY_BYTES). Each refusal is a
// 4xx whose message and extensions.limit name the setting.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface LimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxUpstreamCalls: number;
  maxBodyBytes: number;
}

export function limitExceeded(setting: string, message: string, status = 400): GraphQLError {
  return createGraphQLError(`${message} (limit ${setting})`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit: setting, http: { status } },
  });
}

/**
 * Armor reports "Syntax Error: Query depth limit of 12 exceeded, found 13." with no
 * code; keep its wording (which has both numbers) and add the setting's name.
 */
function rejectAs(setting: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const refusal = limitExceeded(setting, error.message.replace(/^Syntax Error: /, ''));
    // Validation rules report (the answer is the usual 400 validation failure);
    // the token counter runs inside the parser, which has no context, so it throws.
    if (context) context.reportError(refusal);
    else throw refusal;
  };
}

export function useOperationLimits(limits: LimitOptions): Plugin[] {
  const common = { propagateOnRejection: false, exposeLimits: true };
  return [
    maxTokensPlugin({ ...common, n: limits.maxTokens, onReject: [rejectAs('MAX_TOKENS')] }),
    // Fragment spreads count as a level (flattenFragments: false), so nesting
    // fragments to multiply a selection runs into the depth limit.
    maxDepthPlugin({ ...common, n: limits.maxDepth, flattenFragments: false, onReject: [rejectAs('MAX_DEPTH')] }),
    maxAliasesPlugin({ ...common, n: limits.maxAliases, onReject: [rejectAs('MAX_ALIASES')] }),
    maxDirectivesPlugin({ ...common, n: limits.maxDirectives, onReject: [rejectAs('MAX_DIRECTIVES')] }),
  ];
}

export const bodyTooLarge = (maxBodyBytes: number) =>
  limitExceeded('MAX_BODY_BYTES', `The request body is larger than ${maxBodyBytes} bytes`, 413);

/**
 * yoga enforces the same maxRequestBodySize on the body stream (for chunked
 * bodies; useRequestParseErrors rewords its 413); this answers a declared
 * Content-Length first, before any of the body is read.
 */
export function useBodyLimit(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request }) {
      const declared = request.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    },
  };
}
