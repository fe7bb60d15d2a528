import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** Values a variable of that name starts with in an example (synthetic areas and years). */
const BY_NAME: Record<string, unknown> = { areaId: 'motalavej', year: 2024, incidentYear: 2024, fromYear: 2020, first: 20 };

function sample(name: string, type: GraphQLInputType, schema: GraphQLSchema): unknown {
  if (name in BY_NAME) return BY_NAME[name];
  if (isNonNullType(type)) return sample(name, type.ofType, schema);
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.value;
  if (isInputObjectType(named)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) if (isNonNullType(field.type)) out[field.name] = sample(field.name, field.type, schema);
    return out;
  }
  switch (named.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'LocalDate':
      return '2024-01-01';
    default:
      return '';
  }
}

/**
 * The variables an example opens with, as JSON: every required variable (and
 * `first`) with a value of its type, so the example runs or says which id it
 * needs. Run at build time over the composed API schema.
 */
export function exampleVariables(schemaText: string, query: string): string {
  const schema = buildSchema(schemaText);
  const variables: Record<string, unknown> = {};
  for (const definition of parse(query).definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const name = variable.variable.name.value;
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      if (!type || (!isNonNullType(type) && !(name in BY_NAME))) continue;
      variables[name] = sample(name, type, schema);
    }
  }
  return Object.keys(variables).length ? JSON.stringify(variables, null, 2) : '';
}
