import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * The cost of an operation, as the operation limits count it: every field
 * with a selection costs 2 and every scalar 1, each level below the top
 * weighs 1.5 times its parent's, and a list asked for with a literal
 * `first`/`last` multiplies its part by that number (fragments are
 * flattened, introspection's `__schema` is free). The same count as
 * graphql-armor's cost limit, which the limits were sized with, but it also
 * says where the cost is: the part that costs most is named to the caller.
 */
export interface OperationCost {
  total: number;
  /** The part that costs most: a path of fields (with a `first` it was asked with), and its share of the total. */
  costliest?: { path: string; cost: number } | undefined;
}

/** What a caller is told: the cost, the budget it is held to, and where most of it is. */
export interface CostReport extends OperationCost {
  budget: number;
}

const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;

/** One field's part: what it adds to the operation's total, and the fields below it (theirs likewise). */
interface Part {
  label: string;
  cost: number;
  children: Part[];
}

class Counter {
  private readonly fragmentCosts = new Map<string, { cost: number; parts: Part[] }>();
  private readonly visiting = new Set<string>();

  constructor(private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>) {}

  /** The cost of a selection set and its parts, each part weighted as counted into the set's total. */
  selectionSet(set: SelectionSetNode, weight: number): { cost: number; parts: Part[] } {
    let cost = 0;
    const parts: Part[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = this.field(selection);
        cost += weight * field.cost;
        parts.push(weight === 1 ? field : scale(field, weight));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        // A flattened fragment counts like an object at the same level.
        const inner = this.selectionSet(selection.selectionSet, DEPTH_FACTOR);
        cost += OBJECT_COST + inner.cost;
        parts.push(...inner.parts);
      } else {
        const inner = this.fragment(selection.name.value);
        cost += SCALAR_COST + inner.cost;
        parts.push(...inner.parts);
      }
    }
    return { cost, parts };
  }

  private fragment(name: string): { cost: number; parts: Part[] } {
    const known = this.fragmentCosts.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    // An unknown or cyclic spread is a validation error of its own; it costs nothing here.
    if (!definition || this.visiting.has(name)) return { cost: 0, parts: [] };
    this.visiting.add(name);
    const inner = this.selectionSet(definition.selectionSet, DEPTH_FACTOR);
    this.visiting.delete(name);
    const result = { cost: OBJECT_COST + inner.cost, parts: inner.parts };
    this.fragmentCosts.set(name, result);
    return result;
  }

  private field(node: FieldNode): Part {
    const name = node.alias ? `${node.alias.value}:${node.name.value}` : node.name.value;
    if (node.name.value === '__schema') return { label: name, cost: 0, children: [] };
    if (!node.selectionSet) return { label: name, cost: SCALAR_COST, children: [] };
    let multiplier = 1;
    let listArgument = '';
    for (const arg of node.arguments ?? []) {
      if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
      if (arg.value.kind === Kind.INT) multiplier = Math.max(Number.parseInt(arg.value.value, 10) || 1, 1);
      listArgument = arg.name.value;
      break;
    }
    const inner = this.selectionSet(node.selectionSet, DEPTH_FACTOR);
    const children = multiplier === 1 ? inner.parts : inner.parts.map((p) => scale(p, multiplier));
    return { label: multiplier === 1 ? name : `${name}(${listArgument}: ${multiplier})`, cost: (OBJECT_COST + inner.cost) * multiplier, children };
  }
}

const scale = (part: Part, by: number): Part => ({ label: part.label, cost: part.cost * by, children: part.children.map((c) => scale(c, by)) });

/** From the top, down into the child that holds most of its parent's cost, while it holds at least half. */
function costliest(parts: Part[]): { path: string; cost: number } | undefined {
  let best = parts.reduce<Part | undefined>((b, p) => (b === undefined || p.cost > b.cost ? p : b), undefined);
  if (!best || best.cost === 0) return undefined;
  const path = [best.label];
  let cost = best.cost;
  for (;;) {
    const child: Part | undefined = best.children.reduce<Part | undefined>((b, p) => (b === undefined || p.cost > b.cost ? p : b), undefined);
    if (!child || child.cost * 2 < best.cost) break;
    path.push(child.label);
    cost = child.cost;
    best = child;
  }
  return { path: path.join('.'), cost: round(cost) };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The cost of each operation of a document, by operation name (undefined for an anonymous one). */
export function documentCosts(document: DocumentNode): Map<string | undefined, OperationCost> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const counter = new Counter(fragments);
  const costs = new Map<string | undefined, OperationCost>();
  for (const operation of operations) {
    const { cost, parts } = counter.selectionSet(operation.selectionSet, 1);
    costs.set(operation.name?.value, { total: round(cost), costliest: costliest(parts) });
  }
  // With one operation, it runs whether or not the request names it.
  if (operations.length === 1 && operations[0]!.name) costs.set(undefined, costs.get(operations[0]!.name.value)!);
  return costs;
}

/** The refusal's words: the limit, the cost, and where most of it is. */
export function costMessage(limit: number, cost: OperationCost, who = 'Queries'): string {
  const where = cost.costliest ? ` Most of it is ${cost.costliest.path} (${cost.costliest.cost}).` : '';
  return `${who} are limited to a cost of ${limit}; this one costs ${cost.total}.${where}`;
}

/**
 * The analysts' budget for their ad-hoc queries, decided on the counted cost:
 * null within it, else the refusal's words. The gateway's verdict, and a
 * subgraph's on analysts who bypass the gateway.
 */
export function analystCostVerdict(cost: OperationCost, analystMaxCost: number): string | null {
  return cost.total > analystMaxCost ? costMessage(analystMaxCost, cost, 'Ad-hoc queries of analysts') : null;
}

/** The cost limit as a validation rule: an operation over `maxCost` is refused (COST_LIMIT), naming its costliest part. */
export function costLimitRule(maxCost: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      for (const [name, cost] of documentCosts(document)) {
        if (name === undefined && document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.name)) continue;
        if (cost.total > maxCost) {
          context.reportError(new GraphQLError(costMessage(maxCost, cost), { extensions: { code: 'COST_LIMIT', cost: { ...cost, budget: maxCost } } }));
        }
      }
      return false;
    },
  });
}

/** Apollo Server plugin: the request's cost and budget (set by the analystBudget step) in `extensions.cost` of its answer. */
export const costExtension = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }: { response: { body: { kind: string; singleResult?: { extensions?: Record<string, unknown> } } }; contextValue: { cost?: CostReport | undefined } }) {
        const result = response.body.singleResult;
        if (response.body.kind === 'single' && result && contextValue.cost) result.extensions = { ...result.extensions, cost: contextValue.cost };
      },
    };
  },
};
