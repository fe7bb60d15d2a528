import { MyWebhookDocument, RegisterWebhookDocument, RemoveWebhookDocument, type MyWebhookQuery } from '@partnergraph/operations';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { firstError, run, type ApiResult } from '../api';
import { errorText, Outcome } from '../components/Messages';
import { useGuarded } from '../guarded';
import { useI18n } from '../i18n';
import type { ViewProps } from './Overview';

/** A random secret: 32 bytes as 64 hex digits, made in the browser. */
function newSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A party's webhook (its own systems receive notices), and the delivery state per party. */
export function Webhooks({ session, purpose, headingRef, onUnauthenticated }: ViewProps) {
  const { t, dateTime } = useI18n();
  const [data, setData] = useState<MyWebhookQuery | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const feedbackRef = useRef<HTMLDivElement>(null);
  const ids = { url: useId(), urlHelp: useId(), secret: useId(), secretHelp: useId() };

  const showError = useCallback((text: string) => setFeedback({ kind: 'error', text }), []);
  const attempt = useGuarded(onUnauthenticated, showError);

  const load = useCallback(async () => {
    const result = await attempt(() => run(session, purpose, MyWebhookDocument));
    if (result) setData(result.data);
  }, [attempt, session, purpose]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (feedback) feedbackRef.current?.focus();
  }, [feedback]);

  const webhook = data?.webhook ?? null;
  const outcome = (result: ApiResult<unknown> | null, success: string) => {
    if (!result) return false;
    const error = firstError(result);
    setFeedback(error ? { kind: 'error', text: errorText(t, error) } : { kind: 'success', text: success });
    return !error;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = await attempt(() =>
      run(session, purpose, RegisterWebhookDocument, { input: { url: url.trim(), secret }, ...(webhook ? { version: webhook.version } : {}), idempotencyKey: crypto.randomUUID() }),
    );
    if (outcome(result, t.webhookSaved)) setSecret('');
    await load();
  };

  const remove = async () => {
    if (!webhook?.version) return;
    outcome(await attempt(() => run(session, purpose, RemoveWebhookDocument, { version: webhook.version!, idempotencyKey: crypto.randomUUID() })), t.webhookRemoved);
    await load();
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title" ref={headingRef as RefObject<HTMLHeadingElement>} tabIndex={-1}>
        {t.webhooksTitle}
      </h1>
      <p className="lead">{t.webhooksIntro}</p>
      {feedback && (
        <Outcome kind={feedback.kind} ref={feedbackRef}>
          {feedback.text}
        </Outcome>
      )}
      <div>
        <section className="panel narrow" aria-labelledby="own-webhook-title">
          <h2 id="own-webhook-title">{t.yourWebhook}</h2>
          {webhook ? (
            <dl className="details">
              <div>
                <dt>{t.webhookUrl}</dt>
                <dd className="mono">{webhook.url}</dd>
              </div>
              <div>
                <dt>{t.registeredAt}</dt>
                <dd>{dateTime(webhook.registeredAt)}</dd>
              </div>
            </dl>
          ) : (
            <p>{t.noWebhook}</p>
          )}
          <form onSubmit={save}>
            <label htmlFor={ids.url}>{t.webhookUrl}</label>
            <input id={ids.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://" aria-describedby={ids.urlHelp} />
            <p id={ids.urlHelp} className="help">
              {t.webhookUrlHelp}
            </p>
            <label htmlFor={ids.secret}>{t.webhookSecret}</label>
            <div className="input-with-button">
              <input
                id={ids.secret}
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                required
                minLength={32}
                maxLength={256}
                autoComplete="off"
                spellCheck={false}
                className="mono"
                aria-describedby={ids.secretHelp}
              />
              <button type="button" className="button secondary" onClick={() => setSecret(newSecret())}>
                {t.generateSecret}
              </button>
            </div>
            <p id={ids.secretHelp} className="help">
              {t.webhookSecretHelp}
            </p>
            <div className="button-row">
              <button type="submit" className="button">
                {webhook ? t.replaceWebhook : t.registerWebhook}
              </button>
              {webhook && (
                <button type="button" className="button danger" onClick={() => void remove()}>
                  {t.removeWebhook}
                </button>
              )}
            </div>
          </form>
        </section>
        <section className="panel table-panel" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">{t.deliveries}</h2>
          <p className="help">{t.deliveriesHelp}</p>
          <table className="data-table compact">
            <caption className="visually-hidden">{t.deliveries}</caption>
            <thead>
              <tr>
                <th scope="col">{t.party}</th>
                <th scope="col">{t.target}</th>
                <th scope="col">{t.pending}</th>
                <th scope="col">{t.delivered}</th>
                <th scope="col">{t.gaveUp}</th>
                <th scope="col">{t.lastFailure}</th>
              </tr>
            </thead>
            <tbody>
              {(data?.webhookDeliveryStates ?? []).map((s) => (
                <tr key={s.organisation?.id}>
                  <th scope="row">{s.organisation?.name}</th>
                  <td className="small">{s.registered ? <span className="mono">{s.target}</span> : <span className="muted">{t.notRegistered}</span>}</td>
                  <td>{s.pending}</td>
                  <td>{s.delivered}</td>
                  <td className={s.gaveUp ? 'warn' : undefined}>{s.gaveUp}</td>
                  <td className="small">
                    {s.lastFailure ? (
                      <>
                        {s.lastFailure} <span className="muted">({dateTime(s.lastFailureAt)})</span>
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </section>
  );
}
