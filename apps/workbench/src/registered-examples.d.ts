declare module 'virtual:registered-examples' {
  /** The registered operations, with the variables each opens with (JSON text, or empty). */
  const examples: Array<{ name: string; query: string; variables: string }>;
  export default examples;
}
