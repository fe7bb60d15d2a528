/** The partnership's owners, in the order they start. A fourth partner joins by adding a line here and in ownerSchemas.ts. */
export interface Owner {
  name: string;
  defaultPort: number;
  /** Compiled entry point of the owner's process. */
  entry: string;
}

const entry = (pkg: string) => new URL(`../../../subgraphs/${pkg}/dist/index.js`, import.meta.url).pathname;

export const OWNERS: Owner[] = [
  { name: 'police', defaultPort: 4001, entry: entry('police') },
  { name: 'municipality', defaultPort: 4002, entry: entry('municipality') },
  { name: 'housing', defaultPort: 4003, entry: entry('housing') },
];
