/** Where `npm run seed:national` put each owner's national-volume database. */
export function nationalDatabaseUrl(owner: string, admin = process.env['NATIONAL_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'): string {
  const url = new URL(admin);
  url.pathname = `/partnergraph_national_${owner}`;
  return url.href;
}

/** The board's overview: every area from three owners, with the goals the police assess. */
export const BOARD_QUERY = `query BoardOverview { areas { id name isSpecialArea latestSafetyIndex { year shareFeelingSafe comparableAreasShare }
    activeInitiativeCount currentTenancyCount goals { metric assessment { year status } } } }`;
