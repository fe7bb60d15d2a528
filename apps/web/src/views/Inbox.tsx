import {
  AdvanceTerminationCaseDocument,
  ApplicantCheckDocument,
  CaseworkerInboxDocument,
  OpenTerminationCaseDocument,
  PersonTenanciesDocument,
  type ApplicantCheckQuery,
  type CaseworkerInboxQuery,
  type PersonTenanciesQuery,
  type TerminationBasis,
  type TerminationStatus,
} from '@partnergraph/operations';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { firstError, run, type ApiError, type ApiResult } from '../api';
import { errorText, Outcome, Withheld } from '../components/Messages';
import { useGuarded } from '../guarded';
import { useI18n } from '../i18n';
import type { ViewProps } from './Overview';

type Referral = NonNullable<CaseworkerInboxQuery['referrals']>['nodes'][number];
type Tenancy = NonNullable<NonNullable<PersonTenanciesQuery['person']>['tenancies']>[number];

/** What the law allows next (the housing subgraph enforces it; the app only offers these). */
const NEXT: Record<string, TerminationStatus[]> = {
  ASSESSING: ['NOTICE_SERVED', 'WITHDRAWN'],
  NOTICE_SERVED: ['IN_COURT', 'COMPLETED', 'WITHDRAWN'],
  IN_COURT: ['COMPLETED', 'WITHDRAWN'],
};
const AREAS = [
  { id: 'motalavej', name: 'Motalavej' },
  { id: 'ringparken', name: 'Ringparken / Schackenborg Vænge' },
  { id: 'sydbyen', name: 'Sydbyen' },
  { id: 'parkvej', name: 'Parkvej / Præstevangen' },
];

const newKey = () => crypto.randomUUID();

interface Feedback {
  kind: 'success' | 'error';
  text: string;
}

/** A housing company's caseworker: the police's referrals, opening and running termination cases, and the § 63 e applicant check. */
export function Inbox({ session, purpose, headingRef, onUnauthenticated }: ViewProps) {
  const { t, date } = useI18n();
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);

  const guard = useGuarded(onUnauthenticated, setFailure);

  const load = useCallback(async () => {
    const result = await guard(() => run(session, purpose, CaseworkerInboxDocument, { first: 50 }));
    if (!result) return;
    setFailure(result.errors.length && !result.data?.referrals ? errorText(t, result.errors[0]!) : null);
    setReferrals(result.data?.referrals?.nodes ?? []);
  }, [guard, session, purpose, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const open = (id: string) => {
    setSelected(id);
    // The detail renders next; focus its heading then.
    setTimeout(() => detailHeading.current?.focus(), 0);
  };
  const referral = referrals?.find((r) => r.id === selected) ?? null;

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title" ref={headingRef as RefObject<HTMLHeadingElement>} tabIndex={-1}>
        {t.inboxTitle}
      </h1>
      <p className="lead">{t.inboxIntro}</p>
      {failure && <Outcome kind="error">{failure}</Outcome>}
      {referrals === null && !failure && <p>{t.loading}</p>}
      {referrals && referrals.length === 0 && <p>{t.inboxEmpty}</p>}
      {referrals && referrals.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t.inboxTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.referredOn}</th>
              <th scope="col">{t.person}</th>
              <th scope="col">{t.decisionType}</th>
              <th scope="col">{t.area}</th>
              <th scope="col">{t.legalBasis}</th>
              <th scope="col">{t.caseColumn}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {referrals.map((r) => (
              <tr key={r.id} className={r.id === selected ? 'selected' : undefined}>
                <td>{date(r.referredOn)}</td>
                <td className="mono small">{r.person?.id ?? <Withheld />}</td>
                <td>
                  {r.decision ? (
                    <>
                      {t.decisionTypes[r.decision.decisionType ?? ''] ?? <Withheld />}
                      <span className="muted small"> · {t.offenceCategories[r.decision.offenceCategory ?? ''] ?? ''}</span>
                    </>
                  ) : (
                    <Withheld />
                  )}
                </td>
                <td>{r.decision?.area?.name ?? '–'}</td>
                <td className="small">{r.purpose ? t.purposes[r.purpose] : <Withheld />}</td>
                <td>{r.terminationCase ? <span className="case-status">{t.caseStatuses[r.terminationCase.status ?? ''] ?? '–'}</span> : <span className="muted">{t.noCase}</span>}</td>
                <td>
                  <button type="button" className="button small" aria-label={t.openReferral(date(r.referredOn))} onClick={() => open(r.id)}>
                    {t.open}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {referral && <ReferralDetail key={referral.id} referral={referral} headingRef={detailHeading} purpose={purpose} session={session} reload={load} guard={guard} />}
      <ApplicantCheck session={session} purpose={purpose} guard={guard} />
    </section>
  );
}

interface DetailProps {
  referral: Referral;
  headingRef: RefObject<HTMLHeadingElement | null>;
  session: ViewProps['session'];
  purpose: string;
  reload(): Promise<void>;
  guard<T>(work: () => Promise<ApiResult<T>>): Promise<ApiResult<T> | null>;
}

function ReferralDetail({ referral, headingRef, session, purpose, reload, guard }: DetailProps) {
  const { t, date } = useI18n();
  const [tenancies, setTenancies] = useState<Tenancy[] | null>(null);
  const [tenancyErrors, setTenancyErrors] = useState<ApiError[]>([]);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [confirming, setConfirming] = useState<TerminationStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [tenancyId, setTenancyId] = useState('');
  const [basis, setBasis] = useState<TerminationBasis>('ALMENLEJELOVEN_90_1_10');
  const openKey = useRef(newKey());
  const feedbackRef = useRef<HTMLDivElement>(null);
  const ids = { tenancy: useId(), basis: useId() };
  const personId = referral.person?.id;
  const terminationCase = referral.terminationCase;

  useEffect(() => {
    if (!personId) return;
    void guard(() => run(session, purpose, PersonTenanciesDocument, { id: personId })).then((result) => {
      if (!result) return;
      const list = result.data?.person?.tenancies ?? [];
      setTenancies(list);
      setTenancyErrors(result.errors);
      setTenancyId(list.find((x) => x.isCurrent)?.id ?? '');
    });
  }, [personId, session, purpose, guard]);

  useEffect(() => {
    if (feedback) feedbackRef.current?.focus();
  }, [feedback]);

  const answer = (result: ApiResult<unknown> | null, success: string): boolean => {
    if (!result) return false;
    const error = firstError(result);
    setFeedback(error ? { kind: 'error', text: errorText(t, error) } : { kind: 'success', text: success });
    return !error;
  };

  const openCase = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await guard(() =>
      run(session, purpose, OpenTerminationCaseDocument, { input: { referralId: referral.id, tenancyId, basis }, idempotencyKey: openKey.current }),
    );
    if (answer(result, t.caseOpened)) openKey.current = newKey();
    await reload();
    setBusy(false);
  };

  const advance = async (status: TerminationStatus) => {
    if (!terminationCase?.id || terminationCase.version === null || terminationCase.version === undefined) return;
    if (status === 'COMPLETED' && confirming !== 'COMPLETED') {
      setConfirming('COMPLETED');
      return;
    }
    setConfirming(null);
    setBusy(true);
    const result = await guard(() =>
      run(session, purpose, AdvanceTerminationCaseDocument, { id: terminationCase.id, version: terminationCase.version!, status, idempotencyKey: newKey() }),
    );
    answer(result, t.caseAdvanced(t.caseStatuses[status] ?? status));
    // After a CONFLICT too: the latest version and status, before the person chooses again.
    await reload();
    setBusy(false);
  };

  const decision = referral.decision;
  const current = tenancies?.filter((x) => x.isCurrent) ?? [];
  return (
    <section className="panel detail" aria-labelledby={`referral-${referral.id}`}>
      <h2 id={`referral-${referral.id}`} ref={headingRef} tabIndex={-1}>
        {t.referralTitle(date(referral.referredOn))}
      </h2>
      <dl className="details">
        <div>
          <dt>{t.person}</dt>
          <dd>{personId ?? <Withheld />}</dd>
        </div>
        <div>
          <dt>{t.decidedOn}</dt>
          <dd>{decision?.decidedOn ? date(decision.decidedOn) : <Withheld />}</dd>
        </div>
        <div>
          <dt>{t.offence}</dt>
          <dd>{decision?.offenceCategory ? t.offenceCategories[decision.offenceCategory] : <Withheld />}</dd>
        </div>
        <div>
          <dt>{t.decisionType}</dt>
          <dd>{decision?.decisionType ? t.decisionTypes[decision.decisionType] : <Withheld />}</dd>
        </div>
        <div>
          <dt>{t.area}</dt>
          <dd>{decision?.area?.name ?? <Withheld />}</dd>
        </div>
        <div>
          <dt>{t.legalBasis}</dt>
          <dd>{referral.purpose ? t.purposes[referral.purpose] : <Withheld />}</dd>
        </div>
      </dl>

      {feedback && (
        <Outcome kind={feedback.kind} ref={feedbackRef}>
          {feedback.text}
        </Outcome>
      )}

      <h3>{t.tenancies}</h3>
      {tenancies === null && tenancyErrors.length === 0 && <p>{t.loading}</p>}
      {tenancyErrors.length > 0 && <Outcome kind="warning">{errorText(t, tenancyErrors[0]!)}</Outcome>}
      {tenancies && tenancies.length === 0 && <p>{t.noTenancies}</p>}
      {tenancies && tenancies.length > 0 && (
        <ul className="plain-list">
          {tenancies.map((x) => (
            <li key={x.id}>
              {x.unitAddress ?? x.id} <span className="muted small">({x.isCurrent ? t.current : t.ended})</span>
            </li>
          ))}
        </ul>
      )}

      {terminationCase ? (
        <section aria-labelledby={`case-${referral.id}`} className="case">
          <h3 id={`case-${referral.id}`}>{t.caseTitle}</h3>
          <p>
            {t.caseStatus}: <strong>{t.caseStatuses[terminationCase.status ?? ''] ?? '–'}</strong>
            {terminationCase.statusChangedOn && <span className="muted small"> ({date(terminationCase.statusChangedOn)})</span>}
          </p>
          {NEXT[terminationCase.status ?? ''] ? (
            <div role="group" aria-label={t.nextStep} className="button-row">
              {NEXT[terminationCase.status ?? '']!.map((status) => (
                <button key={status} type="button" className={status === 'WITHDRAWN' ? 'button secondary' : 'button'} disabled={busy} onClick={() => void advance(status)}>
                  {t.advanceTo(t.caseStatuses[status] ?? status)}
                </button>
              ))}
            </div>
          ) : (
            <p>{t.caseFinal}</p>
          )}
          {confirming && (
            <div className="notice warning" role="alertdialog" aria-labelledby={`confirm-${referral.id}`}>
              <p id={`confirm-${referral.id}`}>{t.confirmComplete}</p>
              <div className="button-row">
                <button type="button" className="button danger" autoFocus onClick={() => void advance(confirming)}>
                  {t.confirm}
                </button>
                <button type="button" className="button secondary" onClick={() => setConfirming(null)}>
                  {t.cancel}
                </button>
              </div>
            </div>
          )}
        </section>
      ) : (
        current.length > 0 && (
          <form onSubmit={openCase} className="case-form" aria-labelledby={`open-${referral.id}`}>
            <h3 id={`open-${referral.id}`}>{t.openCase}</h3>
            <label htmlFor={ids.tenancy}>{t.tenancy}</label>
            <select id={ids.tenancy} value={tenancyId} onChange={(e) => setTenancyId(e.target.value)} required>
              {current.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.unitAddress ?? x.id}
                </option>
              ))}
            </select>
            <fieldset>
              <legend>{t.basis}</legend>
              {(['ALMENLEJELOVEN_90_1_10', 'OTHER'] as const).map((b) => (
                <label key={b} className="choice">
                  <input type="radio" name={ids.basis} value={b} checked={basis === b} onChange={() => setBasis(b)} /> {t.bases[b]}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="button" disabled={busy || !tenancyId}>
              {t.openCase}
            </button>
          </form>
        )
      )}
    </section>
  );
}

function ApplicantCheck({ session, purpose, guard }: { session: ViewProps['session']; purpose: string; guard: DetailProps['guard'] }) {
  const { t } = useI18n();
  const [personId, setPersonId] = useState('');
  const [areaId, setAreaId] = useState(AREAS[1]!.id);
  const [result, setResult] = useState<{ found: NonNullable<ApplicantCheckQuery['crimeTerminationsOfApplicant']> } | { error: string } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const ids = { person: useId(), area: useId() };

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const check = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await guard(() => run(session, purpose, ApplicantCheckDocument, { personId: personId.trim(), areaId }));
    if (!answer) return;
    const error = firstError(answer);
    setResult(error ? { error: errorText(t, error) } : { found: answer.data?.crimeTerminationsOfApplicant ?? [] });
  };

  return (
    <section className="panel" aria-labelledby="applicant-title">
      <h2 id="applicant-title">{t.applicantCheck}</h2>
      <p className="help">{t.applicantCheckHelp}</p>
      <form onSubmit={check} className="inline-form">
        <div>
          <label htmlFor={ids.person}>{t.applicantId}</label>
          <input id={ids.person} value={personId} onChange={(e) => setPersonId(e.target.value)} required autoComplete="off" spellCheck={false} />
        </div>
        <div>
          <label htmlFor={ids.area}>{t.area}</label>
          <select id={ids.area} value={areaId} onChange={(e) => setAreaId(e.target.value)}>
            {AREAS.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t.check}
        </button>
      </form>
      {result && (
        <div ref={resultRef} tabIndex={-1} role="status" className={'error' in result ? 'notice error' : 'notice success'}>
          {'error' in result ? (
            <p>{result.error}</p>
          ) : result.found.length === 0 ? (
            <p>{t.applicantNone}</p>
          ) : (
            <>
              <p>{t.applicantFound(result.found.length)}</p>
              <ul className="plain-list">
                {result.found.map((r, i) => (
                  <li key={i}>
                    {r.name ?? <Withheld />}, {r.address ?? <Withheld />} — {t.terminatedForCrime}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
