import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient } from 'graphql-sse';
import { useEffect, useRef, useState } from 'react';
import { authHeaders, operationName, persistedQuery } from './api';
import type { Session } from './session';

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * A live subscription at the gateway (GraphQL over server-sent events, the
 * graphql-sse protocol), by registered hash like every other operation.
 * Each event arrives already answered with this session's own selection,
 * under this session's token and purpose. Reconnects on its own.
 */
export function useLive<Data>(
  session: Session | null,
  purpose: string | null,
  document: TypedDocumentNode<Data, Record<string, never>>,
  onData: (data: Data) => void,
): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onData);
  handler.current = onData;
  useEffect(() => {
    if (!session || !purpose) return undefined;
    const name = operationName(document as TypedDocumentNode<unknown, never>);
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dispose = () => {};
    // A stream the server ended (an owner restarted, a process drained) is opened again, with growing pauses.
    const again = () => {
      if (stopped) return;
      setState('offline');
      dispose();
      timer = setTimeout(connect, Math.min(1000 * 2 ** attempt++, 30_000));
    };
    function connect() {
      setState('connecting');
      const client = createClient({
        url: '/graphql/stream',
        headers: () => authHeaders(session!, purpose!),
        retryAttempts: 0,
        on: {
          connected: () => {
            attempt = 0;
            setState('live');
          },
        },
      });
      const unsubscribe = client.subscribe<Data>(
        // The registered hash stands for the text (graphql-sse requires the field).
        { query: '', operationName: name, extensions: { persistedQuery: persistedQuery(name) } },
        {
          next: (result) => {
            if (result.data) handler.current(result.data);
          },
          error: again,
          complete: again,
        },
      );
      dispose = () => {
        unsubscribe();
        client.dispose();
      };
    }
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      dispose();
    };
  }, [session, purpose, document]);
  return state;
}
