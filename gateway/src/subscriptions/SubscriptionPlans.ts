import {
  getNamedType,
  getOperationAST,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * How one subscription is answered at the gateway. An owner's subscription
 * field yields entities by key (`noticePosted` → a Notice's `id`); each event
 * is then answered by a query — the subscriber's own selection on the field
 * of Query that looks that entity up by the same key — executed like any
 * query, under the subscriber's token and purpose, across every owner.
 */
export interface SubscriptionPlan {
  /** The subscription root field, e.g. `noticePosted`. */
  field: string;
  /** The subgraph (by name in the supergraph, lower-case) that owns it. */
  subgraph: string;
  /** What the owner's stream is asked for: the key of each event's entity. */
  ownerQuery: string;
  /** The key field of the entity, e.g. `id`. */
  keyField: string;
  /** The query an event is answered with; its variables are the subscriber's plus `keyVariable`. */
  eventQuery: string;
  keyVariable: string;
}

export class SubscriptionPlanError extends Error {}

interface FieldOwner {
  subgraph: string;
  entityType: string;
  keyField: string;
}

/**
 * Reads from the supergraph which subgraph owns each Subscription field, and
 * the key of the entity it returns (`@join__type(graph: …, key: "id")`).
 */
export function subscriptionOwners(supergraphSdl: string): Map<string, FieldOwner> {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const keys = new Map<string, Map<string, string>>();
  const owners = new Map<string, FieldOwner>();
  const argument = (node: { arguments?: readonly { name: { value: string }; value: { kind: string } }[] }, name: string) => {
    const value = node.arguments?.find((a) => a.name.value === name)?.value as { value?: string } | undefined;
    return value?.value;
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        if (graph) graphNames.set(value.name.value, argument(graph, 'name') ?? value.name.value.toLowerCase());
      }
    }
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      for (const directive of definition.directives ?? []) {
        if (directive.name.value !== 'join__type') continue;
        const key = argument(directive, 'key');
        const graph = (directive.arguments?.find((a) => a.name.value === 'graph')?.value as { value?: string } | undefined)?.value;
        if (key && graph) {
          if (!keys.has(definition.name.value)) keys.set(definition.name.value, new Map());
          keys.get(definition.name.value)!.set(graph, key);
        }
      }
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Subscription') continue;
    const typeGraph = (definition.directives?.find((d) => d.name.value === 'join__type')?.arguments?.[0]?.value as { value?: string } | undefined)?.value;
    for (const field of definition.fields ?? []) {
      const fieldGraph = (field.directives?.find((d) => d.name.value === 'join__field')?.arguments?.find((a) => a.name.value === 'graph')?.value as { value?: string } | undefined)
        ?.value;
      const graph = fieldGraph ?? typeGraph;
      let type = field.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      const key = graph ? keys.get(type.name.value)?.get(graph) : undefined;
      // Only single-field keys: an event names its entity by one value.
      if (graph && key && /^\w+$/.test(key)) owners.set(field.name.value, { subgraph: graphNames.get(graph) ?? graph.toLowerCase(), entityType: type.name.value, keyField: key });
    }
  }
  return owners;
}

const KEY_VARIABLE = 'partnergraphEventKey';

/**
 * Plans a validated subscription: one root field (the GraphQL rule), owned by
 * a subgraph, returning an entity that Query can look up by its key.
 */
export function planSubscription(schema: GraphQLSchema, owners: Map<string, FieldOwner>, document: DocumentNode, operationName?: string | null): SubscriptionPlan {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) throw new SubscriptionPlanError('Only subscriptions are served here; send queries and mutations to /graphql.');
  const roots = operation.selectionSet.selections;
  const root = roots[0];
  if (roots.length !== 1 || root?.kind !== Kind.FIELD) throw new SubscriptionPlanError('A subscription selects exactly one field.');
  const owner = owners.get(root.name.value);
  if (!owner) throw new SubscriptionPlanError(`${root.name.value} cannot be subscribed to at this gateway.`);
  const lookup = Object.values(schema.getQueryType()?.getFields() ?? {}).find(
    (f) =>
      getNamedType(f.type).name === owner.entityType &&
      f.args.length === 1 &&
      f.args[0]!.name === owner.keyField &&
      isNonNullType(f.args[0]!.type) &&
      isObjectType(getNamedType(f.type)),
  );
  if (!lookup) throw new SubscriptionPlanError(`No query looks up a ${owner.entityType} by ${owner.keyField}.`);
  const keyType = print({ kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: getNamedType(lookup.args[0]!.type).name } });
  const eventField: FieldNode = {
    ...root,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? root.name.value },
    name: { kind: Kind.NAME, value: lookup.name },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: owner.keyField }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: KEY_VARIABLE } } }],
  };
  const eventOperation: OperationDefinitionNode = {
    ...operation,
    operation: OperationTypeNode.QUERY,
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: KEY_VARIABLE } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: keyType } } },
      },
    ],
    selectionSet: { ...operation.selectionSet, selections: [eventField] },
  };
  // The subscriber's fragments come along; other operations of the document do not.
  const eventDocument: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [eventOperation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  return {
    field: root.name.value,
    subgraph: owner.subgraph,
    ownerQuery: `subscription { ${root.name.value} { ${owner.keyField} } }`,
    keyField: owner.keyField,
    eventQuery: print(visit(eventDocument, {})),
    keyVariable: KEY_VARIABLE,
  };
}
