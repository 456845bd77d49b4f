// Operation size limits (MAX_DEPTH, MAX_ALIASES, MAX_TOKENS, MAX_DIRECTIVES) via
// graphql-armor. Each refusal is a 400 whose message and extensions.limit name the setting.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from './limitExceeded.js';
import type { LimitOptions } from './policy.js';

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

export function useOperationLimits(limits: LimitOptions): Plugin {
  const common = { propagateOnRejection: false, exposeLimits: true };
  const armor: Plugin[] = [
    maxTokensPlugin({ ...common, n: limits.maxTokens, onReject: [rejectAs('MAX_TOKENS')] }),
    // Fragment spreads count as a level (flattenFragments: false), so nesting
    // fragments to multiply a selection runs into the depth limit.
    maxDepthPlugin({ ...common, n: limits.maxDepth, flattenFragments: false, onReject: [rejectAs('MAX_DEPTH')] }),
    maxAliasesPlugin({ ...common, n: limits.maxAliases, onReject: [rejectAs('MAX_ALIASES')] }),
    maxDirectivesPlugin({ ...common, n: limits.maxDirectives, onReject: [rejectAs('MAX_DIRECTIVES')] }),
  ];
  return {
    onPluginInit({ addPlugin }) {
      for (const plugin of armor) addPlugin(plugin);
    },
  };
}
