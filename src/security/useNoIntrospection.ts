// No introspection (nor schema hints in validation messages) unless
// INTROSPECTION=true; the default in production. `_service`, which a federation
// gateway reads to compose, is an ordinary field and keeps working.
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useNoIntrospection(): Plugin {
  const plugins: Plugin[] = [
    { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) },
    // "Did you mean …?" would hand out field names one guess at a time.
    blockFieldSuggestionsPlugin({ mask: '' }),
  ];
  return {
    onPluginInit({ addPlugin }) {
      for (const plugin of plugins) addPlugin(plugin);
    },
  };
}
