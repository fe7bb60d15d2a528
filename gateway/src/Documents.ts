import { createHash } from 'node:crypto';
import { analystCostVerdict, documentCosts, JSON_CONTENT_TYPE, type Answer, type OperationCost } from '@partnergraph/common';
import { LRUCache } from 'lru-cache';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationTypeNode,
  type ValidationRule,
} from 'graphql';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Heap bytes a parsed and validated document takes per character of its text
 * (AST nodes, tokens and locations, the text itself), measured on the
 * partnership's saved operations: the estimate the cache is bounded by.
 */
export const DOCUMENT_BYTES_PER_CHARACTER = 48;
/** Per entry besides the text: the hash, the entry and its operation map, the cache's own slots. */
const ENTRY_OVERHEAD_BYTES = 2500;

/**
 * One distinct query text, parsed and validated once against the API schema
 * with the operation limits, and what later steps learn about it (analyst
 * budget, registration). Shared by every request that sends this text.
 */
export class ParsedOperation {
  /** The cost of each operation (see cost.ts); computed when first needed. */
  private costs: Map<string | undefined, OperationCost> | undefined;
  /** Hash of the canonical print (how registered operations are known); computed when first needed. */
  private canonical: string | undefined;
  private readonly kinds: Map<string | undefined, OperationTypeNode> | undefined;
  /** The name of the document's only operation, which runs when a request names none (traces name it). */
  readonly soleName: string | undefined;

  constructor(
    /** sha256 of the text: Apollo's query hash, and the key of the cache. */
    readonly hash: string,
    /** The document; undefined when the text does not parse or validate. */
    readonly document: DocumentNode | undefined,
    /** The 400 answer for a text that does not parse or validate. */
    readonly refusal: Answer | undefined,
    /** Estimated heap bytes of this entry. */
    readonly size: number,
  ) {
    if (document) {
      this.kinds = new Map();
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      for (const op of operations) this.kinds.set(op.name?.value, op.operation);
      // With one operation, it runs whether or not the request names it.
      if (operations.length === 1 && operations[0]!.name) this.kinds.set(undefined, operations[0]!.operation);
      if (operations.length === 1) this.soleName = operations[0]!.name?.value;
    }
  }

  /** The kind of the operation a request selects by name; undefined when there is no such operation. */
  kindOf(operationName: string | undefined): OperationTypeNode | undefined {
    return this.kinds?.get(operationName);
  }

  /** The cost of the operation a request selects by name (zero for a document that did not validate). */
  costOf(operationName: string | undefined): OperationCost {
    if (!this.document) return { total: 0 };
    this.costs ??= documentCosts(this.document);
    return this.costs.get(operationName) ?? { total: 0 };
  }

  /** Whether every operation asks only for the schema (`__schema`, `__type`, `__typename` at the top). */
  schemaOnly(): boolean {
    if (!this.document) return false;
    return this.document.definitions.every(
      (d) => d.kind !== Kind.OPERATION_DEFINITION || d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')),
    );
  }

  canonicalHash(): string | undefined {
    if (!this.document) return undefined;
    return (this.canonical ??= sha256(print(this.document)));
  }
}

export interface DocumentOptions {
  /** Heap budget of the cache (estimated, see DOCUMENT_BYTES_PER_CHARACTER). */
  maxBytes: number;
  maxTokens: number;
  maxQueryCharacters: number;
  /** Validation rules besides GraphQL's own: the operation limits. */
  rules: readonly ValidationRule[];
  /** Cost budget of every operation (enforced by the cost rule among `rules`), and of analysts' ad-hoc queries. */
  maxCost: number;
  analystMaxCost: number;
  /** "Did you mean …" tells strangers about the schema: off where a caller may be one. */
  hideSuggestions: boolean;
  /** Introspection (`__schema`, `__type`). */
  introspection: boolean;
}

function refusal(code: string, errors: readonly GraphQLError[]): Answer {
  // A rule's own code and cost (the cost limit's) stay; every other error gets the step's code.
  const formatted: GraphQLFormattedError[] = errors.map((e) => ({
    message: e.message,
    ...(e.locations ? { locations: e.locations } : {}),
    extensions: e.extensions['code'] === 'COST_LIMIT' ? { code: 'COST_LIMIT', cost: e.extensions['cost'] } : { code },
  }));
  return { status: 400, headers: { 'content-type': JSON_CONTENT_TYPE }, body: `${JSON.stringify({ errors: formatted })}\n` };
}

const refused = (hash: string, answer: Answer) => new ParsedOperation(hash, undefined, answer, ENTRY_OVERHEAD_BYTES + answer.body.length * 2);

/**
 * Query texts parsed and validated once each, bounded by estimated bytes
 * (lru-cache). The steps read from it, and so does Apollo Server through
 * `documentStore()`: a document validated here is never parsed or validated
 * again for the same schema.
 */
export class Documents {
  private readonly cache: LRUCache<string, ParsedOperation>;
  private schema: GraphQLSchema | undefined;
  private readonly rules: ValidationRule[];

  constructor(private readonly options: DocumentOptions) {
    this.cache = new LRUCache<string, ParsedOperation>({ maxSize: options.maxBytes, sizeCalculation: (entry) => entry.size });
    this.rules = [...specifiedRules, ...options.rules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  }

  /** The API schema documents are validated against; a new schema forgets every document. */
  useSchema(schema: GraphQLSchema): void {
    if (schema === this.schema) return;
    this.schema = schema;
    this.cache.clear();
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.calculatedSize };
  }

  /** The parsed operation for a query text: from the cache, or parsed and validated now. */
  get(query: string): ParsedOperation {
    if (query.length > this.options.maxQueryCharacters) {
      const message = `The query has more than ${this.options.maxQueryCharacters} characters.`;
      return refused('', refusal('QUERY_TOO_LARGE', [new GraphQLError(message)]));
    }
    const hash = sha256(query);
    let entry = this.cache.get(hash);
    if (!entry) {
      entry = this.build(hash, query);
      this.cache.set(hash, entry);
    }
    return entry;
  }

  get maxCost(): number {
    return this.options.maxCost;
  }

  get analystMaxCost(): number {
    return this.options.analystMaxCost;
  }

  /** Whether the analysts' budget refuses this operation, decided on its counted cost; the message says why. */
  analystVerdict(entry: ParsedOperation, operationName?: string): string | null {
    return analystCostVerdict(entry.costOf(operationName), this.options.analystMaxCost);
  }

  /**
   * Apollo Server's document store over this cache: Apollo asks by
   * `<schema hash>:<query hash>` and gets the document validated here.
   */
  documentStore() {
    return {
      get: async (key: string): Promise<DocumentNode | undefined> => {
        const entry = this.cache.get(key.slice(-64));
        return entry?.refusal ? undefined : entry?.document;
      },
      // Apollo stores only what it parsed itself: a text this cache never saw, or one it already let go.
      set: async (): Promise<void> => undefined,
      delete: async (): Promise<void> => undefined,
    };
  }

  private build(hash: string, query: string): ParsedOperation {
    const size = ENTRY_OVERHEAD_BYTES + query.length * DOCUMENT_BYTES_PER_CHARACTER;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.options.maxTokens });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return refused(hash, refusal('GRAPHQL_PARSE_FAILED', [error]));
    }
    if (!this.schema) throw new Error('The supergraph is not loaded yet.');
    const errors = validate(this.schema, document, this.rules, { hideSuggestions: this.options.hideSuggestions });
    if (errors.length > 0) return refused(hash, refusal('GRAPHQL_VALIDATION_FAILED', errors));
    return new ParsedOperation(hash, document, undefined, size);
  }
}
