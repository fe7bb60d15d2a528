import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import { costLimitRule } from './cost.js';

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

/** The operation limits from the environment (LIMIT_*), read alike by gateway and subgraphs. */
export function operationLimitsFromEnv(env: NodeJS.ProcessEnv): OperationLimits {
  const num = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));
  return {
    maxDepth: num(env['LIMIT_MAX_DEPTH'], DEFAULT_LIMITS.maxDepth),
    maxAliases: num(env['LIMIT_MAX_ALIASES'], DEFAULT_LIMITS.maxAliases),
    maxTokens: num(env['LIMIT_MAX_TOKENS'], DEFAULT_LIMITS.maxTokens),
    maxDirectives: num(env['LIMIT_MAX_DIRECTIVES'], DEFAULT_LIMITS.maxDirectives),
    maxCost: num(env['LIMIT_MAX_COST'], DEFAULT_LIMITS.maxCost),
    analystMaxCost: num(env['LIMIT_ANALYST_MAX_COST'], DEFAULT_LIMITS.analystMaxCost),
    maxQueryCharacters: num(env['LIMIT_MAX_QUERY_CHARACTERS'], DEFAULT_LIMITS.maxQueryCharacters),
    maxVariableDepth: num(env['LIMIT_MAX_VARIABLE_DEPTH'], DEFAULT_LIMITS.maxVariableDepth),
  };
}

/**
 * The operation limits as validation rules (graphql-armor's, and our cost
 * rule, which names the costliest part). The token limit is not among them:
 * the parser enforces it (`parse(text, { maxTokens })`), so an over-long
 * document is a syntax error (400) before anything else reads it. Field
 * suggestions ("did you mean …") are not blocked: every request reaching
 * validation at the gateway carries a verified token, and partners may see
 * the schema (issue 10).
 */
export function armorRules(limits: OperationLimits) {
  const armor = new ApolloArmor({
    maxDepth: { enabled: true, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { enabled: true, n: limits.maxAliases },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: true, n: limits.maxDirectives },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules } = armor.protect() as { plugins: unknown[]; validationRules: ValidationRule[] };
  return { plugins, validationRules: [...validationRules, costLimitRule(limits.maxCost)] };
}
