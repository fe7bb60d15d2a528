/**
 * The signed-in person: a bearer token from their organisation's identity
 * provider, kept in this tab's sessionStorage only (never localStorage, never
 * a cookie), and the claims read from it for the app's own choices (menus,
 * purpose picker). Every owner verifies the token itself on every request.
 */
export interface Session {
  token: string;
  subject: string;
  organisation: string;
  roles: string[];
  purposes: string[];
  /** Seconds since 1970. */
  expiresAt: number;
  /** The development persona it was signed for, if any (shown in the header). */
  persona?: string;
}

const KEY = 'partnergraph.session';

function decodePart(part: string): unknown {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Reads the claims of a token (not a check of it: the gateway and every owner check it). */
export function sessionFromToken(token: string, persona?: string): Session | null {
  try {
    const parts = token.trim().split('.');
    if (parts.length !== 3) return null;
    const claims = decodePart(parts[1]!) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    const session: Session = {
      token: token.trim(),
      subject: String(claims['sub'] ?? ''),
      organisation: String(claims['org'] ?? ''),
      roles: list(claims['roles']),
      purposes: list(claims['purposes']),
      expiresAt: Number(claims['exp'] ?? 0),
    };
    if (persona) session.persona = persona;
    if (!session.subject || !session.organisation || session.expiresAt * 1000 < Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function loadSession(): Session | null {
  const stored = sessionStorage.getItem(KEY);
  if (!stored) return null;
  try {
    const { token, persona } = JSON.parse(stored) as { token: string; persona?: string };
    return sessionFromToken(token, persona);
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify({ token: session.token, persona: session.persona }));
  else sessionStorage.removeItem(KEY);
}

export const hasRole = (session: Session, role: string) => session.roles.includes(role);
