declare module 'virtual:registered-operations' {
  /** Operation name → the sha256 it is registered under (schema/persisted-operations.json). */
  const hashes: Record<string, string>;
  export default hashes;
}
