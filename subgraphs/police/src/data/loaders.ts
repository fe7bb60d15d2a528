import { manyByKey, oneByKey, type Database } from '@partnergraph/subgraph-kit';
import DataLoader from 'dataloader';
import type { CriminalDecision } from '../types/CriminalDecision.js';
import type { Referral } from '../types/Referral.js';
import type { SafetyIndexMeasurement } from '../types/SafetyIndexMeasurement.js';
import { DECISION_COLUMNS, REFERRAL_COLUMNS, SAFETY_COLUMNS } from './rows.js';

/** One SQL statement per loader per request tick, however many entities are asked for. */
export function createPoliceLoaders(db: Database) {
  return {
    decisionById: new DataLoader<string, CriminalDecision | null>(async (ids) =>
      oneByKey(ids, await db.query<CriminalDecision>(`SELECT ${DECISION_COLUMNS} FROM criminal_decisions d WHERE d.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    decisionsByPerson: new DataLoader<string, CriminalDecision[]>(async (personIds) =>
      manyByKey(
        personIds,
        await db.query<CriminalDecision>(
          `SELECT ${DECISION_COLUMNS} FROM criminal_decisions d WHERE d.person_id = ANY($1) ORDER BY d.decided_on DESC, d.id DESC`,
          [personIds],
        ),
        (r) => r.personId,
      ),
    ),
    referralById: new DataLoader<string, Referral | null>(async (ids) =>
      oneByKey(
        ids,
        await db.query<Referral>(`SELECT ${REFERRAL_COLUMNS} FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id WHERE r.id = ANY($1)`, [ids]),
        (r) => r.id,
      ),
    ),
    referralsByDecision: new DataLoader<string, Referral[]>(async (decisionIds) =>
      manyByKey(
        decisionIds,
        await db.query<Referral>(
          `SELECT ${REFERRAL_COLUMNS} FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id WHERE r.decision_id = ANY($1) ORDER BY r.referred_on, r.id`,
          [decisionIds],
        ),
        (r) => r.decisionId,
      ),
    ),
    safetyIndexByArea: new DataLoader<string, SafetyIndexMeasurement[]>(async (areaIds) =>
      manyByKey(
        areaIds,
        await db.query<SafetyIndexMeasurement>(`SELECT ${SAFETY_COLUMNS} FROM safety_index WHERE area_id = ANY($1) ORDER BY year`, [areaIds]),
        (r) => r.areaId,
      ),
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createPoliceLoaders>;
