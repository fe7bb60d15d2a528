import { useI18n } from '../i18n';

const SYMBOL: Record<string, string> = { MET: '✓', NOT_MET: '✗', NO_DATA: '–' };

/** A goal's verdict: colour and symbol and word, never colour alone. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`status status-${status.toLowerCase().replace('_', '-')}`}>
      <span aria-hidden="true">{SYMBOL[status] ?? ''} </span>
      {t.goalStatus[status] ?? status}
    </span>
  );
}
