import { forwardRef, type ReactNode } from 'react';
import type { ApiError } from '../api';
import { useI18n } from '../i18n';

/** An error as a person would want it: what happened and what to do, in their words; the server's detail for input errors. */
export function errorText(t: ReturnType<typeof useI18n>['t'], error: Pick<ApiError, 'code' | 'message'>): string {
  const base = t.errors[error.code] ?? t.errors['INTERNAL_SERVER_ERROR']!;
  return error.code === 'BAD_USER_INPUT' ? `${base} ${error.message}` : base;
}

/** A message that takes focus after an action, so keyboard and screen-reader users land on the outcome. */
export const Outcome = forwardRef<HTMLDivElement, { kind: 'success' | 'error' | 'warning'; children: ReactNode; action?: ReactNode }>(function Outcome(
  { kind, children, action },
  ref,
) {
  return (
    <div ref={ref} tabIndex={-1} className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <p>{children}</p>
      {action}
    </div>
  );
});

/** A field an owner did not disclose: says so instead of showing a blank. */
export function Withheld() {
  const { t } = useI18n();
  return (
    <span className="withheld" title={t.notAvailableHelp}>
      {t.notAvailable}
    </span>
  );
}
