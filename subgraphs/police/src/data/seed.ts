import { bulkInsert, type Database } from '@partnergraph/subgraph-kit';
import type { World } from '@partnergraph/synthetic';

/** Loads the police's slice of the synthetic partnership, once: an existing database is left alone. */
export async function seedPolice(db: Database, world: World): Promise<boolean> {
  const [existing] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM safety_index');
  if (existing && existing.n > 0) return false;
  await db.transaction(async (tx) => {
    await bulkInsert(
      tx,
      'safety_index',
      {
        area_id: 'text', year: 'int', share_feeling_safe: 'numeric', comparable_share: 'numeric',
        neighbourhood_problems_index: 'numeric', experienced_safety_index: 'numeric', reported_crimes: 'int', respondents: 'int',
      },
      world.safetyIndex().map((s) => ({
        area_id: s.areaId, year: s.year, share_feeling_safe: s.shareFeelingSafe, comparable_share: s.comparableShare,
        neighbourhood_problems_index: s.neighbourhoodProblemsIndex, experienced_safety_index: s.experiencedSafetyIndex,
        reported_crimes: s.reportedCrimes, respondents: s.respondents,
      })),
    );
    await bulkInsert(
      tx,
      'incident_counts',
      { area_id: 'text', month: 'date', category: 'text', count: 'int' },
      world.incidents().map((i) => ({ area_id: i.areaId, month: i.month, category: i.category, count: i.count })),
    );
    const referrals: Record<string, unknown>[] = [];
    function* decisions() {
      for (const d of world.decisions()) {
        const referral = world.referralFor(d);
        if (referral) {
          referrals.push({
            id: referral.id, decision_id: referral.decisionId, housing_company: referral.housingCompany,
            purpose: referral.purpose, referred_on: referral.referredOn, referred_by: 'seed',
          });
        }
        yield {
          id: d.id, person_id: d.personId, person_birth_date: d.personBirthDate, decided_on: d.decidedOn,
          offence_category: d.offenceCategory, decision_type: d.decisionType, sentence_days: d.sentenceDays,
          within_or_affecting_area: d.withinOrAffectingArea, area_id: d.areaId, case_number: d.caseNumber,
          court: d.court, offence_description: d.offenceDescription,
        };
      }
    }
    await bulkInsert(
      tx,
      'criminal_decisions',
      {
        id: 'text', person_id: 'text', person_birth_date: 'date', decided_on: 'date', offence_category: 'text',
        decision_type: 'text', sentence_days: 'int', within_or_affecting_area: 'boolean', area_id: 'text',
        case_number: 'text', court: 'text', offence_description: 'text',
      },
      decisions(),
    );
    await bulkInsert(
      tx,
      'referrals',
      { id: 'text', decision_id: 'text', housing_company: 'text', purpose: 'text', referred_on: 'date', referred_by: 'text' },
      referrals,
    );
  });
  return true;
}

/** The registry's name for it: every owner's `./seed` export is `seed(db, world)`. */
export { seedPolice as seed };
