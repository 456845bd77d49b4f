// MAX_UPSTREAM_CALLS: before execution, estimate from the document and its
// variables how many upstream calls the operation can cause, and refuse it above
// the limit, so no call is made. Each field's cost is declared where the field is
// defined (schema/upstreamCost.ts); a field without one costs nothing. Variables
// and arguments are coerced as execution will coerce them, defaults included. The estimate is an upper bound: it follows
// graphql-js in merging fields of the same response key and counts a repeated job
// once (the loaders share its calls), but does not count on windows of one job
// being merged into one call, and counts fields under @skip/@include.
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { upstreamCostOf } from '../schema/upstreamCost.js';
import { limitExceeded } from './limitExceeded.js';

type Args = Record<string, unknown>;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** Fields by response key, through fragments, with the type each was selected on. */
function collectFields(
  walk: Walk,
  typeName: string,
  selectionSet: SelectionSetNode,
  into: Map<string, { typeName: string; nodes: FieldNode[] }>,
  visiting: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = `${typeName}.${selection.alias?.value ?? selection.name.value}`;
      const group = into.get(key) ?? { typeName, nodes: [] };
      group.nodes.push(selection);
      into.set(key, group);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectFields(walk, selection.typeCondition?.name.value ?? typeName, selection.selectionSet, into, visiting);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      // Validation refuses cycles before execution; the guard keeps this walk finite regardless.
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      collectFields(walk, fragment.typeCondition.name.value, fragment.selectionSet, into, visiting);
      visiting.delete(fragment.name.value);
    }
  }
}

/** The field's arguments as its resolver will see them; null when execution will refuse them (no resolver runs). */
function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Args | null {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return null;
  }
}

function estimate(walk: Walk, typeName: string, selectionSets: SelectionSetNode[], instances: number): number {
  if (instances === 0) return 0;
  const groups = new Map<string, { typeName: string; nodes: FieldNode[] }>();
  for (const selectionSet of selectionSets) collectFields(walk, typeName, selectionSet, groups, new Set());
  let calls = 0;
  for (const { typeName: parentName, nodes } of groups.values()) {
    const first = nodes[0]!;
    const parent = walk.schema.getType(parentName);
    const field = isObjectType(parent) ? parent.getFields()[first.name.value] : undefined;
    if (!field) continue;
    const cost = upstreamCostOf(field);
    // Fields merged under one response key have the same arguments (validation checks it).
    const args = cost ? argumentsOf(field, first, walk.variables) : {};
    if (!args) continue;
    calls += instances * (cost?.calls?.(args) ?? 0);
    const children = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    if (children.length > 0) {
      calls += estimate(walk, getNamedType(field.type).name, children, instances * (cost?.fanOut?.(args) ?? 1));
    }
  }
  return calls;
}

export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  // Bad variables are refused by execution before any resolver runs.
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (variables.errors) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return estimate({ schema, fragments, variables: variables.coerced }, root.name, [operation.selectionSet], 1);
}

export function useUpstreamCallLimit(maxUpstreamCalls: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const calls = estimateUpstreamCalls(args.schema, args.document, args.operationName, args.variableValues);
      if (calls > maxUpstreamCalls) {
        setResultAndStopExecution({
          errors: [limitExceeded('MAX_UPSTREAM_CALLS', `This operation could make ${calls} upstream calls; at most ${maxUpstreamCalls} are allowed`)],
        });
      }
    },
  };
}
