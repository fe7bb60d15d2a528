import { useRef, useState } from 'react';
import { loadSession, saveSession, type Session } from '../../web/src/session';
import { SignIn } from '../../web/src/views/SignIn';
import { Workbench } from './Workbench';

/**
 * The workbench (arbejdsbord): sign in with a bearer token (kept in this
 * tab's sessionStorage only, never in a URL or localStorage), or in
 * development as a synthetic persona; then GraphiQL over the gateway.
 */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const heading = useRef<HTMLElement | null>(null);
  const signIn = (next: Session | null) => {
    saveSession(next);
    setSession(next);
  };
  if (!session) {
    return (
      <main className="wb-signin">
        <SignIn onSignedIn={signIn} headingRef={heading} />
      </main>
    );
  }
  return <Workbench session={session} onSignOut={() => signIn(null)} />;
}
