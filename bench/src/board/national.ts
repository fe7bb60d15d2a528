/** Where `npm run seed:national` put each owner's national-volume database. */
export function nationalDatabaseUrl(owner: string, admin = process.env['NATIONAL_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'): string {
  const url = new URL(admin);
  url.pathname = `/partnergraph_national_${owner}`;
  return url.href;
}

/** The board's overview: every area from three owners, with the goals the police assess. */
export const BOARD_QUERY = `query BoardOverview { areas { id name isSpecialArea latestSafetyIndex { year shareFeelingSafe comparableAreasShare }
    activeInitiativeCount currentTenancyCount goals { metric assessment { year status } } } }`;

/** The referral → termination funnel alone (`--query funnel`): the police's referral counts and the housing companies' case counts, checked against them. */
export const FUNNEL_QUERY = `query BoardFunnel { areas { id referralStatistics { total { count suppressed } byPurpose { purpose count suppressed } }
    terminationCaseStatistics { opened { count suppressed } byStatus { status count suppressed } } } }`;
