// MAX_UPSTREAM_CALLS: before execution, estimate from the document and its
// variables how many upstream calls the operation can cause, and refuse it above
// the limit, so no call is made. Each field's cost is declared where the field is
// defined (schema/upstreamCost.ts); a field without one costs nothing. Variables
// and arguments are coerced as execution will coerce them, defaults included.
// The estimate is an upper bound: it follows graphql-js in merging fields of the
// same response key, counts a repeated job once (the loaders share its calls)
// and fields that share their reads (`sharedAs`) once per object, but does not
// count on windows of one job being merged into one call, and counts fields
// under @skip/@include.
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLField,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { perOperation } from '../schema/perOperation.js';
import type { Context } from '../schema/context.js';
import { CHECK_SHARED_AS, upstreamCostOf, type UpstreamCost } from '../schema/upstreamCost.js';
import { limitExceeded } from './limitExceeded.js';

type Args = Record<string, unknown>;
type CostedArgs = Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues' | 'contextValue'>;

/** A field of the operation that costs calls or has fields below it, merged by response key. */
interface PlannedField {
  field: GraphQLField<unknown, unknown>;
  /** The first of the merged nodes: they have the same arguments (validation checks it). */
  node: FieldNode;
  cost: UpstreamCost | undefined;
  /** Its parent type and `sharedAs`, when it shares its reads with other fields of the same object. */
  sharedKey: string | undefined;
  /** Its parent type and the check's `sharedAs`, when, scoped, its job is checked first. */
  checkKey: string | undefined;
  /** Its arguments when they use no variable (null: execution refuses them); undefined when they do. */
  fixedArgs: Args | null | undefined;
  children: PlannedField[];
}

/**
 * What one document's operation can cost, worked out once per document: the
 * walk is the same for every request, only variables change the figure.
 */
interface Plan {
  operation: OperationDefinitionNode;
  fields: PlannedField[];
  /** The estimate when no argument that counts uses a variable, for a caller unscoped and scoped. */
  constant: { unscoped: number; scoped: number } | undefined;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
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

function usesVariables(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(usesVariables);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => usesVariables(field.value));
  return false;
}

/** The field's arguments as its resolver will see them; null when execution will refuse them (no resolver runs). */
function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Args | null {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return null;
  }
}

function planFields(walk: Walk, typeName: string, selectionSets: SelectionSetNode[]): PlannedField[] {
  const groups = new Map<string, { typeName: string; nodes: FieldNode[] }>();
  for (const selectionSet of selectionSets) collectFields(walk, typeName, selectionSet, groups, new Set());
  const planned: PlannedField[] = [];
  for (const { typeName: parentName, nodes } of groups.values()) {
    const node = nodes[0]!;
    const parent = walk.schema.getType(parentName);
    const field = isObjectType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!field) continue;
    const cost = upstreamCostOf(field);
    const children = nodes.flatMap((each) => (each.selectionSet ? [each.selectionSet] : []));
    const below = children.length > 0 ? planFields(walk, getNamedType(field.type).name, children) : [];
    // A field that costs nothing and has nothing costly below it changes no estimate.
    if (!cost && below.length === 0) continue;
    const fixed = !cost || !(node.arguments ?? []).some((argument) => usesVariables(argument.value));
    const sharedKey = cost?.sharedAs ? `${parentName}.${cost.sharedAs}` : undefined;
    const checkKey = cost?.checked ? `${parentName}.${CHECK_SHARED_AS}` : undefined;
    planned.push({
      field,
      node,
      cost,
      sharedKey,
      checkKey,
      fixedArgs: fixed ? (cost ? argumentsOf(field, node, {}) : {}) : undefined,
      children: below,
    });
  }
  return planned;
}

/**
 * `scoped`: the caller is one app user, whose jobs reached by id are checked before
 * they are read; `listed`: the objects are jobs of a list page (free details, no check).
 */
function evaluate(
  fields: PlannedField[],
  variables: Record<string, unknown>,
  instances: number,
  scoped: boolean,
  listed = false,
): number {
  if (instances === 0) return 0;
  let calls = 0;
  // Per object, fields declaring the same `sharedAs` cost the most any of them does.
  let shared: Map<string, number> | undefined;
  const share = (key: string, own: number) => {
    shared ??= new Map();
    shared.set(key, Math.max(shared.get(key) ?? 0, own));
  };
  for (const { field, node, cost, sharedKey, checkKey, fixedArgs, children } of fields) {
    const args = fixedArgs !== undefined ? fixedArgs : argumentsOf(field, node, variables);
    if (!args) continue;
    const own = listed && cost?.freeWhenListed ? 0 : (cost?.calls?.(args) ?? 0);
    if (sharedKey) share(sharedKey, own);
    else calls += instances * own;
    // The check reads the job's details: one call per object, whatever else reads them; none on a list page.
    if (scoped && checkKey && !listed) share(checkKey, 1);
    if (children.length > 0) {
      const below = instances * (cost?.fanOut?.(args) ?? 1);
      calls += evaluate(children, variables, below, scoped, listed || cost?.lists === true);
    }
  }
  if (shared) for (const own of shared.values()) calls += instances * own;
  return calls;
}

const isFixed = (fields: PlannedField[]): boolean =>
  fields.every(({ fixedArgs, children }) => fixedArgs !== undefined && isFixed(children));

function plan(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Plan | null {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields = planFields({ schema, fragments }, root.name, [operation.selectionSet]);
  const constant = isFixed(fields)
    ? { unscoped: evaluate(fields, {}, 1, false), scoped: evaluate(fields, {}, 1, true) }
    : undefined;
  return { operation, fields, constant };
}

const planFor = perOperation(plan);

/** `scoped`: the caller is one app user (with scoping on), whose jobs reached by id are checked first. */
export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  scoped = false,
): number {
  const planned = planFor(schema, document, operationName);
  if (!planned) return 0;
  // Bad variables are refused by execution before any resolver runs.
  const variables = getVariableValues(schema, planned.operation.variableDefinitions ?? [], rawVariables ?? {});
  if (variables.errors) return 0;
  if (planned.constant) return scoped ? planned.constant.scoped : planned.constant.unscoped;
  return evaluate(planned.fields, variables.coerced, 1, scoped);
}

export function useUpstreamCallLimit(maxUpstreamCalls: number): Plugin {
  // For a subscription, the cost of each event's selection.
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: CostedArgs;
    setResultAndStopExecution: (result: ExecutionResult) => void;
  }) => {
    const scoped = (args.contextValue as Partial<Context>).scope?.kind === 'user';
    // A document whose cost no variable changes, within the limit, needs no look at the variables:
    // at worst they are refused, and then it costs nothing.
    const constant = planFor(args.schema, args.document, args.operationName)?.constant;
    if (constant !== undefined && (scoped ? constant.scoped : constant.unscoped) <= maxUpstreamCalls) return;
    const calls = estimateUpstreamCalls(args.schema, args.document, args.operationName, args.variableValues, scoped);
    if (calls > maxUpstreamCalls) {
      setResultAndStopExecution({
        errors: [
          limitExceeded(
            'MAX_UPSTREAM_CALLS',
            `This operation could make ${calls} upstream calls; at most ${maxUpstreamCalls} are allowed`,
          ),
        ],
      });
    }
  };
  return { onExecute: check, onSubscribe: check };
}
