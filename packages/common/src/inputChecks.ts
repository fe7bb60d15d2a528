import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Text no owner stores: NUL (PostgreSQL's text cannot hold it) and lone UTF-16
 * surrogates (no character at all). Refused where requests come in, in
 * literals and variables alike, so no resolver ever sees them.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = 'Text must not contain NUL characters or unpaired surrogates.';

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** A validation rule: string literals of the document hold storable text only (BAD_USER_INPUT otherwise). */
export const StorableTextRule: ValidationRule = (context) => ({
  StringValue(node) {
    if (!isStorableText(node.value)) {
      context.reportError(new GraphQLError(UNSTORABLE_TEXT_MESSAGE, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } }));
    }
  },
});

/**
 * The first problem of a parsed JSON value (variables, extensions), walked
 * with an explicit stack: nesting deeper than `maxDepth` objects and arrays,
 * or a key or string that is not storable text.
 */
export function jsonProblem(value: unknown, maxDepth: number): 'depth' | 'text' | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : 'text';
  if (value === null || typeof value !== 'object') return undefined;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return 'depth';
    const children: unknown[] = Array.isArray(current) ? current : [];
    if (!Array.isArray(current)) {
      for (const key of Object.keys(current)) {
        if (!isStorableText(key)) return 'text';
        children.push((current as Record<string, unknown>)[key]);
      }
    }
    for (const child of children) {
      if (typeof child === 'string') {
        if (!isStorableText(child)) return 'text';
      } else if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
