/** W3C trace context lives in common: the subgraphs continue the trace into their peer calls too. */
export { childTraceparent, continueTrace, type TraceContext } from '@partnergraph/common';
