import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';

/**
 * Operation limits, sized from the partnership's schema and saved operations:
 * the saved operations nest at most 6 levels and cost under 60 (cost =
 * objects × 2 + scalars, × 1.5 per level, × `first` for lists); a caseworker's
 * 1,000-row list of a dozen fields costs about 49,000. Analysts' ad-hoc
 * queries get a tenth of that. Every number is configurable (see the README).
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  /** Ad-hoc (unregistered) queries of analysts: a smaller budget. */
  analystMaxCost: number;
  maxQueryCharacters: number;
  /** Deepest nesting of variables (objects and lists), checked before anything recursive reads them. */
  maxVariableDepth: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 20,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 60_000,
  analystMaxCost: 5_000,
  maxQueryCharacters: 20_000,
  maxVariableDepth: 32,
};

const costLimit = (maxCost: number) =>
  ({ enabled: true, maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true, flattenFragments: true }) as const;

/**
 * The operation limits as validation rules, and the plugin that keeps "did you
 * mean …" out of execution errors. The token limit is not among them: the
 * parser enforces it (`parse(text, { maxTokens })`), so an over-long document
 * is a syntax error (400) before anything else reads it.
 */
export function armorRules(limits: OperationLimits, development: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { enabled: true, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { enabled: true, n: limits.maxAliases },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: true, n: limits.maxDirectives },
    costLimit: costLimit(limits.maxCost),
    // Suggestions ("did you mean …") tell strangers about the schema.
    blockFieldSuggestion: { enabled: !development },
  });
  return armor.protect() as { plugins: unknown[]; validationRules: ValidationRule[] };
}

/** The analysts' smaller cost budget for their ad-hoc queries, alone. */
export function analystCostRules(limits: OperationLimits): ValidationRule[] {
  const armor = new ApolloArmor({
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: false },
    blockFieldSuggestion: { enabled: false },
    costLimit: costLimit(limits.analystMaxCost),
  });
  return (armor.protect() as { validationRules: ValidationRule[] }).validationRules;
}
