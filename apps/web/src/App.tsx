import {
  NoticeAcknowledgedLiveDocument,
  NoticePostedLiveDocument,
  OrganisationsDocument,
  type NoticePostedLiveSubscription,
  type OrganisationsQuery,
} from '@partnergraph/operations';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { run } from './api';
import { PurposePicker } from './components/PurposePicker';
import { useI18n } from './i18n';
import { useLive, type LiveState } from './live';
import { hasRole, loadSession, saveSession, type Session } from './session';
import { Inbox } from './views/Inbox';
import { Notices } from './views/Notices';
import { Overview } from './views/Overview';
import { SignIn } from './views/SignIn';
import { Webhooks } from './views/Webhooks';

export type LiveNotice = NonNullable<NoticePostedLiveSubscription['noticePosted']>;
export type Organisations = Map<string, NonNullable<OrganisationsQuery['organisations']>[number]>;

type ViewId = 'overview' | 'inbox' | 'notices' | 'webhooks';

/** Each view and the purposes it works under (the first one the person may use is the default). */
const VIEWS: Record<ViewId, { hash: string; purposes: string[] }> = {
  overview: { hash: '#/oversigt', purposes: ['STATISTICS', 'COORDINATION'] },
  inbox: { hash: '#/indbakke', purposes: ['TERMINATION_90_10', 'CRIME_PREVENTION_63D'] },
  notices: { hash: '#/varslinger', purposes: ['COORDINATION'] },
  webhooks: { hash: '#/webhooks', purposes: ['COORDINATION'] },
};

function viewsFor(session: Session, organisations: Organisations): ViewId[] {
  const kind = organisations.get(session.organisation)?.kind;
  const views: ViewId[] = [];
  if (hasRole(session, 'board-member') || kind === 'SECRETARIAT' || kind === 'POLICE' || kind === 'MUNICIPALITY') views.push('overview');
  if (kind === 'HOUSING_COMPANY' && hasRole(session, 'caseworker')) views.push('inbox');
  views.push('notices');
  if (hasRole(session, 'caseworker') || hasRole(session, 'coordinator')) views.push('webhooks');
  return views;
}

const viewFromHash = (hash: string): ViewId | undefined => (Object.keys(VIEWS) as ViewId[]).find((v) => VIEWS[v].hash === hash);

export function App() {
  const { t, lang, setLang } = useI18n();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [organisations, setOrganisations] = useState<Organisations>(new Map());
  const [hash, setHash] = useState(() => window.location.hash);
  const [purposes, setPurposes] = useState<Partial<Record<ViewId, string>>>({});
  const [liveNotices, setLiveNotices] = useState<LiveNotice[]>([]);
  const [acknowledged, setAcknowledged] = useState<LiveNotice[]>([]);
  const [unseen, setUnseen] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const heading = useRef<HTMLElement | null>(null);

  const signIn = (next: Session) => {
    saveSession(next);
    setSession(next);
  };
  const signOut = useCallback(() => {
    saveSession(null);
    setSession(null);
    setOrganisations(new Map());
    setLiveNotices([]);
    setPurposes({});
  }, []);

  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Names and kinds of the parties: the menus depend on the signed-in organisation's kind.
  useEffect(() => {
    if (!session) return;
    run(session, session.purposes.includes('COORDINATION') ? 'COORDINATION' : session.purposes[0]!, OrganisationsDocument)
      .then((result) => setOrganisations(new Map((result.data?.organisations ?? []).map((o) => [o.id, o]))))
      .catch(() => setOrganisations(new Map()));
  }, [session]);

  const views = useMemo(() => (session && organisations.size ? viewsFor(session, organisations) : []), [session, organisations]);
  const view: ViewId | undefined = views.length ? (views.find((v) => v === viewFromHash(hash)) ?? views[0]) : undefined;
  const allowed = view && session ? VIEWS[view].purposes.filter((p) => session.purposes.includes(p)) : [];
  const purpose = view ? (purposes[view] && allowed.includes(purposes[view]!) ? purposes[view]! : allowed[0]) : undefined;

  // After moving to another view, focus its heading (screen readers announce the new page).
  const previousView = useRef<ViewId | undefined>(undefined);
  useEffect(() => {
    if (view && previousView.current && previousView.current !== view) heading.current?.focus();
    previousView.current = view;
    if (view === 'notices') setUnseen(0);
  }, [view]);

  // Live notices for the whole app, under a purpose for non-personal data.
  const livePurpose = session ? (session.purposes.includes('COORDINATION') ? 'COORDINATION' : (session.purposes[0] ?? null)) : null;
  const onPosted = useCallback(
    (data: NoticePostedLiveSubscription) => {
      const notice = data.noticePosted;
      if (!notice) return;
      setLiveNotices((list) => (list.some((n) => n.id === notice.id) ? list : [notice, ...list]));
      if (notice.postedBy?.id !== session?.organisation) {
        if (!window.location.hash.startsWith(VIEWS.notices.hash)) setUnseen((n) => n + 1);
        setAnnouncement(t.liveAnnouncement(notice.postedBy?.name ?? '', notice.subject ?? ''));
      }
    },
    [session, t],
  );
  const onAcknowledged = useCallback((data: { noticeAcknowledged?: LiveNotice | null }) => {
    const notice = data.noticeAcknowledged;
    if (notice) setAcknowledged((list) => [notice, ...list.filter((n) => n.id !== notice.id)]);
  }, []);
  const liveState: LiveState = useLive(session, livePurpose, NoticePostedLiveDocument, onPosted);
  useLive(session, livePurpose, NoticeAcknowledgedLiveDocument, onAcknowledged);

  useEffect(() => {
    if (!announcement) return undefined;
    const timer = setTimeout(() => setAnnouncement(''), 8000);
    return () => clearTimeout(timer);
  }, [announcement]);

  const navLabel = (v: ViewId) => ({ overview: t.navOverview, inbox: t.navInbox, notices: t.navNotices, webhooks: t.navWebhooks })[v];
  const me = session ? organisations.get(session.organisation) : undefined;

  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="site-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <p className="brand-name">{t.appName}</p>
            <p className="brand-tagline">{t.appTagline}</p>
          </div>
        </div>
        <div className="header-tools">
          {session && (
            <p className="who">
              <span className="visually-hidden">{t.signedInAs} </span>
              <span className="who-org">{me?.name ?? session.organisation}</span>
              <span className="who-roles">{session.roles.join(', ')}</span>
            </p>
          )}
          <button type="button" className="link-button" lang={lang === 'da' ? 'en' : 'da'} aria-label={t.switchLanguageLabel} onClick={() => setLang(lang === 'da' ? 'en' : 'da')}>
            {t.switchLanguage}
          </button>
          {session && (
            <button type="button" className="button secondary small" onClick={signOut}>
              {t.signOut}
            </button>
          )}
        </div>
      </header>
      {session && views.length > 0 && (
        <nav className="site-nav" aria-label={t.mainNavigation}>
          <ul>
            {views.map((v) => (
              <li key={v}>
                <a href={VIEWS[v].hash} aria-current={v === view ? 'page' : undefined}>
                  {navLabel(v)}
                  {v === 'notices' && unseen > 0 && <span className="badge">{t.newNoticesBadge(unseen)}</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {!session && <SignIn onSignedIn={signIn} headingRef={heading} />}
        {session && view && (
          <>
            <PurposePicker
              allowed={allowed}
              needed={VIEWS[view].purposes}
              value={purpose}
              onChange={(p) => setPurposes((current) => ({ ...current, [view]: p }))}
            />
            {purpose &&
              (view === 'overview' ? (
                <Overview session={session} purpose={purpose} headingRef={heading} onUnauthenticated={signOut} />
              ) : view === 'inbox' ? (
                <Inbox session={session} purpose={purpose} headingRef={heading} onUnauthenticated={signOut} />
              ) : view === 'notices' ? (
                <Notices
                  session={session}
                  purpose={purpose}
                  headingRef={heading}
                  organisations={organisations}
                  live={liveNotices}
                  acknowledged={acknowledged}
                  liveState={liveState}
                  onUnauthenticated={signOut}
                />
              ) : (
                <Webhooks session={session} purpose={purpose} headingRef={heading} onUnauthenticated={signOut} />
              ))}
          </>
        )}
      </main>
      {/* New notices are announced wherever the person is in the app. */}
      <div className="live-announcer" role="status" aria-live="polite" aria-atomic="true">
        {announcement && <p className="toast">{announcement}</p>}
      </div>
    </>
  );
}
