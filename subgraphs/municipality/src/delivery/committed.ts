/** Hooks run after a transaction that recorded notice events commits in this process. */
const committedHooks = new Set<() => void>();

/** Runs `hook` whenever a change that recorded events commits in this process; returns the removal. */
export function onNoticeEventsCommitted(hook: () => void): () => void {
  committedHooks.add(hook);
  return () => committedHooks.delete(hook);
}

/** Called after the transaction that recorded events has committed: live feeds and deliverers look now. */
export function noticeEventsCommitted(): void {
  for (const hook of committedHooks) hook();
}
