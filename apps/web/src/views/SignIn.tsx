import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Outcome } from '../components/Messages';
import { useI18n } from '../i18n';
import { sessionFromToken, type Session } from '../session';

interface Persona {
  name: string;
  description: string;
  organisation: string;
  roles: string[];
  purposes: string[];
}

/**
 * Whether this page may offer personas: the gateway marks its page when it
 * serves the development issuer (`data-dev-sign-in`); Vite's dev server has the
 * gateway behind /dev. Otherwise /dev/personas is not asked at all, so a
 * production page has no failed request in its console.
 */
const devSignIn = () => import.meta.env.DEV || document.documentElement.hasAttribute('data-dev-sign-in');

/**
 * Sign-in with a bearer token from the person's own organisation. In
 * development the gateway also offers synthetic personas through its
 * development issuer (a production gateway has no such route: the picker
 * then does not appear, and is not asked for).
 */
export function SignIn({ onSignedIn, headingRef }: { onSignedIn(session: Session): void; headingRef: RefObject<HTMLElement | null> }) {
  const { t } = useI18n();
  const [personas, setPersonas] = useState<Persona[] | null>(null);
  const [persona, setPersona] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const ids = { persona: useId(), token: useId(), tokenHelp: useId() };

  useEffect(() => {
    if (!devSignIn()) return;
    fetch('/dev/personas', { headers: { accept: 'application/json' } })
      .then(async (res) => (res.ok ? ((await res.json()) as { personas: Persona[] }).personas : null))
      .then((list) => {
        setPersonas(list);
        if (list?.length) setPersona(list[0]!.name);
      })
      .catch(() => setPersonas(null));
  }, []);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const withPersona = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const res = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona }) });
      const session = res.ok ? sessionFromToken(((await res.json()) as { token: string }).token, persona) : null;
      if (!session) throw new Error('no session');
      onSignedIn(session);
    } catch {
      setError(t.personaFailed);
    }
  };

  const withToken = (event: FormEvent) => {
    event.preventDefault();
    const session = sessionFromToken(token);
    if (!session) setError(t.signInFailed);
    else onSignedIn(session);
  };

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" ref={headingRef as RefObject<HTMLHeadingElement>} tabIndex={-1}>
        {t.signInTitle}
      </h1>
      <p className="lead">{t.signInIntro}</p>
      {error && (
        <Outcome kind="error" ref={errorRef}>
          {error}
        </Outcome>
      )}
      <div className="sign-in-options">
        {personas && personas.length > 0 && (
          <form className="panel" onSubmit={withPersona} aria-labelledby="dev-title">
            <h2 id="dev-title">{t.devPersonas}</h2>
            <p className="help">{t.devPersonasHelp}</p>
            <label htmlFor={ids.persona}>{t.persona}</label>
            <select id={ids.persona} name="persona" value={persona} onChange={(e) => setPersona(e.target.value)}>
              {personas.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} — {p.description}
                </option>
              ))}
            </select>
            <button type="submit" className="button">
              {t.signInButton}
            </button>
          </form>
        )}
        <form className="panel" onSubmit={withToken} aria-labelledby="token-title">
          <h2 id="token-title">{t.signInWithToken}</h2>
          <label htmlFor={ids.token}>{t.tokenLabel}</label>
          <textarea
            id={ids.token}
            name="token"
            rows={4}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby={ids.tokenHelp}
            autoComplete="off"
            spellCheck={false}
            required
          />
          <p id={ids.tokenHelp} className="help">
            {t.tokenHelp}
          </p>
          <button type="submit" className="button">
            {t.signInButton}
          </button>
        </form>
      </div>
    </section>
  );
}
