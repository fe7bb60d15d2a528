import { AcknowledgeNoticeDocument, NoticeBoardDocument, PostNoticeDocument } from '@partnergraph/operations';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { LiveNotice, Organisations } from '../App';
import { firstError, run } from '../api';
import { errorText, Outcome } from '../components/Messages';
import { useGuarded } from '../guarded';
import { useI18n } from '../i18n';
import type { LiveState } from '../live';
import type { ViewProps } from './Overview';

const AREAS = [
  { id: 'motalavej', name: 'Motalavej' },
  { id: 'ringparken', name: 'Ringparken / Schackenborg Vænge' },
  { id: 'sydbyen', name: 'Sydbyen' },
  { id: 'parkvej', name: 'Parkvej / Præstevangen' },
];

interface Props extends ViewProps {
  organisations: Organisations;
  /** Notices posted since the app opened, newest first, from the live subscription. */
  live: LiveNotice[];
  /** Notices whose acknowledgements changed since, newest first. */
  acknowledged: LiveNotice[];
  liveState: LiveState;
}

/** Notices of public statements (§ 6): the list, live; acknowledging; and giving notice. */
export function Notices({ session, purpose, headingRef, organisations, live, acknowledged, liveState, onUnauthenticated }: Props) {
  const { t, dateTime } = useI18n();
  const [loaded, setLoaded] = useState<LiveNotice[] | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [ackedHere, setAckedHere] = useState<Record<string, LiveNotice['acknowledgements']>>({});
  const feedbackRef = useRef<HTMLDivElement>(null);

  const showError = useCallback((text: string) => setFeedback({ kind: 'error', text }), []);
  const guard = useGuarded(onUnauthenticated, showError);

  useEffect(() => {
    void guard(() => run(session, purpose, NoticeBoardDocument, { first: 30 })).then((result) => result && setLoaded(result.data?.notices?.nodes ?? []));
  }, [session, purpose, guard]);

  useEffect(() => {
    if (feedback) feedbackRef.current?.focus();
  }, [feedback]);

  // Loaded and live notices together, newest first; the latest acknowledgements win.
  const notices = useMemo(() => {
    const byId = new Map<string, LiveNotice>();
    for (const n of [...(loaded ?? [])].reverse()) byId.set(n.id, n);
    for (const n of [...live].reverse()) byId.set(n.id, n);
    for (const n of acknowledged) if (byId.has(n.id)) byId.set(n.id, { ...byId.get(n.id)!, acknowledgements: n.acknowledgements, missingAcknowledgements: n.missingAcknowledgements });
    return [...byId.values()].sort((a, b) => (b.postedAt ?? '').localeCompare(a.postedAt ?? ''));
  }, [loaded, live, acknowledged]);

  const acknowledge = async (id: string) => {
    const result = await guard(() => run(session, purpose, AcknowledgeNoticeDocument, { id, idempotencyKey: crypto.randomUUID() }));
    if (!result) return;
    const error = firstError(result);
    if (error) return setFeedback({ kind: 'error', text: errorText(t, error) });
    setAckedHere((current) => ({ ...current, [id]: result.data?.acknowledgeNotice?.acknowledgements ?? [] }));
    setFeedback({ kind: 'success', text: t.noticeAcknowledged });
  };

  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title" ref={headingRef as RefObject<HTMLHeadingElement>} tabIndex={-1}>
        {t.noticesTitle}
      </h1>
      <p className="lead">{t.noticesIntro}</p>
      <p className={`live-state ${liveState}`}>
        <span className="dot" aria-hidden="true" /> {t.liveStatus[liveState]}
      </p>
      {feedback && (
        <Outcome kind={feedback.kind} ref={feedbackRef}>
          {feedback.text}
        </Outcome>
      )}
      <div className="two-columns">
        <div>
          {loaded === null && <p>{t.loading}</p>}
          {loaded !== null && notices.length === 0 && <p>{t.noNotices}</p>}
          <ol className="notice-list" aria-label={t.noticesTitle}>
            {notices.map((n) => {
              const mine = n.postedBy?.id === session.organisation;
              const acks = ackedHere[n.id] ?? n.acknowledgements ?? [];
              const ackedByMe = acks.some((a) => a.organisation?.id === session.organisation);
              const missing = (n.missingAcknowledgements ?? []).filter((o) => !acks.some((a) => a.organisation?.id === o.id));
              const headingId = `notice-${n.id}`;
              return (
                <li key={n.id}>
                  <article className={`notice-card${n.isLate ? ' late' : ''}`} aria-labelledby={headingId}>
                    <h2 id={headingId}>{n.subject}</h2>
                    <p className="meta">
                      {t.noticeFrom(n.postedBy?.name ?? organisations.get(n.postedBy?.id ?? '')?.name ?? '')} · {t.postedAt} {dateTime(n.postedAt)}
                    </p>
                    <p>{n.summary}</p>
                    <dl className="details compact">
                      {n.plannedPublicationAt && (
                        <div>
                          <dt>{t.plannedPublication}</dt>
                          <dd>{dateTime(n.plannedPublicationAt)}</dd>
                        </div>
                      )}
                      {n.isLate && (
                        <div>
                          <dt>{t.lateNotice}</dt>
                          <dd>
                            {dateTime(n.publishedAt)} — {t.reason}: {n.reasonForLateNotice}
                          </dd>
                        </div>
                      )}
                      <div>
                        <dt>{t.areas}</dt>
                        <dd>{(n.areas ?? []).map((a) => a.name).join(', ')}</dd>
                      </div>
                    </dl>
                    <p className="small muted">{missing.length ? t.awaitingFrom(missing.length) : t.allAcknowledged}</p>
                    {mine ? (
                      <p className="tag">{t.yourNotice}</p>
                    ) : ackedByMe ? (
                      <p className="ok">✓ {t.acknowledgedByYou}</p>
                    ) : (
                      <button type="button" className="button small" onClick={() => void acknowledge(n.id)} aria-describedby={headingId}>
                        {t.acknowledge}
                      </button>
                    )}
                  </article>
                </li>
              );
            })}
          </ol>
        </div>
        <PostNotice session={session} purpose={purpose} onResult={setFeedback} guard={guard} />
      </div>
    </section>
  );
}

function PostNotice({
  session,
  purpose,
  onResult,
  guard,
}: Pick<ViewProps, 'session' | 'purpose'> & { onResult(feedback: { kind: 'success' | 'error'; text: string }): void; guard: ReturnType<typeof useGuarded> }) {
  const { t } = useI18n();
  const [subject, setSubject] = useState('');
  const [summary, setSummary] = useState('');
  const [areas, setAreas] = useState<string[]>([]);
  const [planned, setPlanned] = useState(() => {
    const soon = new Date(Date.now() + 3 * 86_400_000);
    soon.setMinutes(0, 0, 0);
    return new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  });
  const [busy, setBusy] = useState(false);
  const key = useRef(crypto.randomUUID());
  const ids = { subject: useId(), summary: useId(), planned: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await guard(() =>
      run(session, purpose, PostNoticeDocument, {
        input: { subject, summary, areaIds: areas, plannedPublicationAt: new Date(planned).toISOString() },
        idempotencyKey: key.current,
      }),
    );
    const error = result && firstError(result);
    if (error) onResult({ kind: 'error', text: errorText(t, error) });
    else if (result) {
      onResult({ kind: 'success', text: t.noticePosted });
      key.current = crypto.randomUUID();
      setSubject('');
      setSummary('');
      setAreas([]);
    }
    setBusy(false);
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-notice-title">
      <h2 id="new-notice-title">{t.newNotice}</h2>
      <label htmlFor={ids.subject}>{t.subject}</label>
      <input id={ids.subject} value={subject} onChange={(e) => setSubject(e.target.value)} required minLength={3} maxLength={200} />
      <label htmlFor={ids.summary}>{t.summary}</label>
      <textarea id={ids.summary} value={summary} onChange={(e) => setSummary(e.target.value)} required minLength={3} maxLength={4000} rows={4} />
      <fieldset>
        <legend>{t.areas}</legend>
        {AREAS.map((a) => (
          <label key={a.id} className="choice">
            <input
              type="checkbox"
              value={a.id}
              checked={areas.includes(a.id)}
              onChange={(e) => setAreas((current) => (e.target.checked ? [...current, a.id] : current.filter((x) => x !== a.id)))}
            />{' '}
            {a.name}
          </label>
        ))}
      </fieldset>
      <label htmlFor={ids.planned}>{t.plannedAt}</label>
      <input id={ids.planned} type="datetime-local" value={planned} onChange={(e) => setPlanned(e.target.value)} required />
      <button type="submit" className="button" disabled={busy || areas.length === 0}>
        {t.postNotice}
      </button>
    </form>
  );
}
