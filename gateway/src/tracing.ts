/** W3C trace context and spans live in common: the subgraphs continue the trace into their peer calls too. */
export { childTraceparent, continueTrace, outgoingTraceparent, type TraceContext } from '@partnergraph/common';
