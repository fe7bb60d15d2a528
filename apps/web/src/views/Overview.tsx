import { BoardDashboardDocument, type BoardDashboardQuery } from '@partnergraph/operations';
import { useEffect, useState, type RefObject } from 'react';
import { run, type ApiError } from '../api';
import { errorText, Outcome } from '../components/Messages';
import { SafetyChart } from '../components/SafetyChart';
import { StatusBadge } from '../components/StatusBadge';
import { useGuarded } from '../guarded';
import { useI18n } from '../i18n';
import type { Session } from '../session';

type Area = NonNullable<BoardDashboardQuery['areas']>[number];

/** The safety index begins in 2013; incidents are shown for the last full year. */
const FROM_YEAR = 2013;

export interface ViewProps {
  session: Session;
  purpose: string;
  headingRef: RefObject<HTMLElement | null>;
  onUnauthenticated(): void;
}

/** The board's overview (bestyrelsens overblik): per area, the agreement's goals and what bears on them. */
export function Overview({ session, purpose, headingRef, onUnauthenticated }: ViewProps) {
  const { t } = useI18n();
  const [data, setData] = useState<BoardDashboardQuery | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const incidentYear = new Date().getFullYear() - 1;

  const guard = useGuarded(onUnauthenticated, setFailure);
  useEffect(() => {
    let current = true;
    setFailure(null);
    void guard(() => run(session, purpose, BoardDashboardDocument, { fromYear: FROM_YEAR, incidentYear })).then((result) => {
      if (!current || !result) return;
      setData(result.data);
      setErrors(result.errors);
    });
    return () => {
      current = false;
    };
  }, [session, purpose, incidentYear, guard]);

  const partial = errors.filter((e) => e.code !== 'FORBIDDEN');
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" ref={headingRef as RefObject<HTMLHeadingElement>} tabIndex={-1}>
        {t.overviewTitle}
      </h1>
      <p className="lead">{t.overviewIntro}</p>
      {failure && <Outcome kind="error">{failure}</Outcome>}
      {partial.length > 0 && <Outcome kind="warning">{errorText(t, partial[0]!)}</Outcome>}
      {!data && !failure && <p aria-live="polite">{t.loading}</p>}
      {data?.areas && (
        <div className="area-grid">
          {data.areas.map((area) => (
            <AreaCard key={area.id} area={area} incidentYear={incidentYear} />
          ))}
        </div>
      )}
      {data && (
        <section className="panel" aria-labelledby="overdue-title">
          <h2 id="overdue-title">{t.overdueDecisions}</h2>
          {!data.overdueDecisions?.length ? (
            <p>{t.overdueDecisionsNone}</p>
          ) : (
            <table className="data-table">
              <caption className="visually-hidden">{t.overdueDecisions}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.decision}</th>
                  <th scope="col">{t.meeting}</th>
                  <th scope="col">{t.owner}</th>
                  <th scope="col">{t.dueOn}</th>
                </tr>
              </thead>
              <tbody>
                {data.overdueDecisions.map((d) => (
                  <tr key={d.id}>
                    <td>{d.text}</td>
                    <td>
                      {d.meeting?.body?.name ?? ''}
                      {d.meeting?.title ? ` — ${d.meeting.title}` : ''}
                    </td>
                    <td>{d.owner?.name ?? ''}</td>
                    <td>
                      <DateText value={d.dueOn} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}

function DateText({ value }: { value: string | null | undefined }) {
  const { date } = useI18n();
  return <time dateTime={value ?? undefined}>{date(value)}</time>;
}

function Count({ count, suppressed }: { count: number | null | undefined; suppressed?: boolean | null }) {
  const { t, number } = useI18n();
  if (suppressed || count === null || count === undefined) {
    return (
      <span className="suppressed" title={t.suppressedHelp}>
        {t.suppressed}
      </span>
    );
  }
  return <>{number(count)}</>;
}

function AreaCard({ area, incidentYear }: { area: Area; incidentYear: number }) {
  const { t, percent } = useI18n();
  const headingId = `area-${area.id}`;
  const points = (area.safetyIndex ?? []).map((m) => ({ year: m.year ?? 0, share: m.shareFeelingSafe ?? null, comparable: m.comparableAreasShare ?? null }));
  const incidents = area.incidentStatistics?.total;
  return (
    <article className="area-card" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>{area.name}</h2>
        <p className="muted">
          {area.town}
          {area.isSpecialArea && <span className="tag">{t.specialArea}</span>}
        </p>
      </header>
      <section aria-label={`${t.goals}: ${area.name}`}>
        <h3>{t.goals}</h3>
        <ul className="goal-list">
          {(area.goals ?? []).map((goal) => (
            <li key={goal.id}>
              <StatusBadge status={goal.assessment?.status ?? 'NO_DATA'} />
              <span className="goal-text">
                {t.goalMetrics[goal.metric] ?? goal.metric}
                {goal.assessment && goal.assessment.value !== null && goal.assessment.value !== undefined && (
                  <span className="muted small">
                    {' '}
                    ({t.goalFigures(goal.assessment.year, format(goal.metric, goal.assessment.value, percent), format(goal.metric, goal.assessment.reference, percent))})
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label={`${t.safetyIndex}: ${area.name}`}>
        <h3>{t.safetyIndex}</h3>
        <SafetyChart area={area.name ?? area.id} points={points} />
      </section>
      <dl className="facts">
        <div>
          <dt>{t.incidents(area.incidentStatistics?.year ?? incidentYear)}</dt>
          <dd>
            <Count count={incidents?.count} suppressed={incidents?.suppressed} />
          </dd>
        </div>
        <div>
          <dt>{t.noticesAwaiting}</dt>
          <dd>{area.noticesAwaitingAcknowledgement ?? '–'}</dd>
        </div>
      </dl>
      <Funnel area={area} />
      <section aria-label={`${t.initiatives}: ${area.name}`}>
        <h3>{t.initiatives}</h3>
        <dl className="facts three">
          {(area.activeInitiativesByKind ?? []).map((k) => (
            <div key={k.kind}>
              <dt>{t.initiativeKinds[k.kind] ?? k.kind}</dt>
              <dd>{k.count}</dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}

/**
 * Referral → termination: the police's referrals, then the cases the housing
 * companies opened on them by where they stand now. Each owner suppresses its
 * own small cells (the housing companies also where referrals less cases would
 * be 1–4); a hidden count says so instead of showing a number.
 */
function Funnel({ area }: { area: Area }) {
  const { t } = useI18n();
  const referred = area.referralStatistics?.total;
  const cases = area.terminationCaseStatistics;
  const rows: Array<{ key: string; label: string; count: number | null | undefined; suppressed: boolean | null | undefined; step: boolean }> = [
    { key: 'referred', label: t.funnelReferred, count: referred?.count, suppressed: referred?.suppressed ?? !referred, step: true },
    { key: 'opened', label: t.funnelOpened, count: cases?.opened?.count, suppressed: cases?.opened?.suppressed ?? !cases, step: true },
    ...(cases?.byStatus ?? []).map((s) => ({ key: s.status ?? '', label: t.caseStatuses[s.status ?? ''] ?? '', count: s.count, suppressed: s.suppressed, step: false })),
  ];
  const widest = Math.max(1, ...rows.map((r) => (r.suppressed ? 0 : (r.count ?? 0))));
  const captionId = `funnel-${area.id}`;
  return (
    <section aria-labelledby={captionId}>
      <h3 id={captionId}>{t.funnel}</h3>
      <table className="funnel">
        <caption className="help">{t.funnelHelp}</caption>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.step ? 'step' : 'status-row'}>
              <th scope="row">{r.label}</th>
              <td className="count">
                <Count count={r.count} suppressed={r.suppressed} />
              </td>
              <td className="bar" aria-hidden="true">
                {!r.suppressed && r.count ? <span style={{ width: `${(100 * r.count) / widest}%` }} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Shares are per cent; the neighbourhood-problems index is an index. */
function format(metric: string, value: number | null | undefined, percent: (v: number | null | undefined) => string): string {
  if (value === null || value === undefined) return '–';
  return metric === 'NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR' ? percent(value).replace(' %', '') : percent(value);
}
