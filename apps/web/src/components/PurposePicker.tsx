import { useId } from 'react';
import { useI18n } from '../i18n';

/** The purpose (formål) this view's requests are sent under, from those the person may use here. */
export function PurposePicker({ allowed, needed, value, onChange }: { allowed: string[]; needed: string[]; value: string | undefined; onChange(purpose: string): void }) {
  const { t } = useI18n();
  const id = useId();
  if (allowed.length === 0) {
    return (
      <p className="notice warning" role="alert">
        {t.purposeNeeded(needed.map((p) => t.purposes[p] ?? p).join(', '))}
      </p>
    );
  }
  return (
    <div className="purpose-bar">
      <label htmlFor={id}>{t.purpose}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-help`}>
        {allowed.map((p) => (
          <option key={p} value={p}>
            {t.purposes[p] ?? p}
          </option>
        ))}
      </select>
      <span id={`${id}-help`} className="help">
        {t.purposeHelp}
      </span>
    </div>
  );
}
