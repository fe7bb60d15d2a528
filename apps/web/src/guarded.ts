import { useCallback } from 'react';
import { RequestFailed, type ApiResult } from './api';
import { errorText } from './components/Messages';
import { useI18n } from './i18n';

/**
 * Runs a request for a view: when no GraphQL answer comes at all, the person
 * is told why in their words (an expired sign-in also signs them out), and
 * the view gets null.
 */
export function useGuarded(onUnauthenticated: () => void, onFailure: (text: string) => void) {
  const { t } = useI18n();
  return useCallback(
    async <T,>(work: () => Promise<ApiResult<T>>): Promise<ApiResult<T> | null> => {
      try {
        return await work();
      } catch (error) {
        const code = error instanceof RequestFailed ? error.code : 'INTERNAL_SERVER_ERROR';
        if (code === 'UNAUTHENTICATED') onUnauthenticated();
        onFailure(errorText(t, { code, message: '' }));
        return null;
      }
    },
    [onUnauthenticated, onFailure, t],
  );
}
