import { randomUUID } from 'node:crypto';
import {
  AcknowledgeNoticeDocument,
  AdvanceTerminationCaseDocument,
  ApplicantCheckDocument,
  BoardGoalsDocument,
  BodiesDocument,
  CloseInitiativeDocument,
  CompleteMeetingDecisionDocument,
  CreateInitiativeDocument,
  InitiativesDocument,
  NoticesDocument,
  OpenTerminationCaseDocument,
  OverdueDecisionsDocument,
  PersonTenanciesDocument,
  PostNoticeDocument,
  RecordCriminalDecisionDocument,
  RecordMeetingDecisionDocument,
  ReferDecisionDocument,
  ReferralInboxDocument,
  ReferralOutcomesDocument,
  ScheduleMeetingDocument,
  SecretariatNoticeFollowUpDocument,
  TenancyHoldingDocument,
  UpdateInitiativeDocument,
} from '@partnergraph/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/** The agreement's processes end to end through the gateway, with the personas and saved operations. */
describe('the partnership at work, through the gateway', () => {
  let system: System;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const codes = (res: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }) => res.body.errors?.map((e) => e.extensions?.['code']);
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('goals: the board sees every area and every goal, assessed by the police', async () => {
    const res = await system.run('board-member', 'COORDINATION', BoardGoalsDocument);
    expect(res.body.errors).toBeUndefined();
    const areas = res.body.data!.areas!;
    expect(areas).toHaveLength(4);
    const safety = system.world.safetyIndex();
    const latest = Math.max(...safety.map((s) => s.year));
    for (const area of areas) {
      const goals = area!.goals!;
      expect(goals.length).toBe(area!.id === 'motalavej' ? 3 : 2);
      const now = safety.find((s) => s.areaId === area!.id && s.year === latest)!;
      const before = safety.find((s) => s.areaId === area!.id && s.year === latest - 1)!;
      for (const goal of goals) {
        const a = goal!.assessment!;
        expect(a.year).toBe(latest);
        const expected =
          goal!.metric === 'SAFETY_SHARE_VS_COMPARABLE_AREAS'
            ? now.shareFeelingSafe >= now.comparableShare
            : goal!.metric === 'SAFETY_SHARE_VS_PREVIOUS_YEAR'
              ? now.shareFeelingSafe > before.shareFeelingSafe
              : now.neighbourhoodProblemsIndex < before.neighbourhoodProblemsIndex;
        expect(a.status).toBe(expected ? 'MET' : 'NOT_MET');
      }
    }
  });

  it('initiative register: create, retry, update, conflict, own organisation only, close, filter', async () => {
    const key = randomUUID();
    const input = { title: 'Homework café in Sydbyen', kind: 'BUILDING_UP' as const, areaIds: ['sydbyen'], startsOn: day(-10) };
    const created = await system.run('municipality-caseworker', 'COORDINATION', CreateInitiativeDocument, { input, idempotencyKey: key });
    expect(created.body.errors).toBeUndefined();
    const initiative = created.body.data!.createInitiative!;
    expect(initiative.responsibleOrganisation!.id).toBe('slagelse-kommune');
    const retried = await system.run('municipality-caseworker', 'COORDINATION', CreateInitiativeDocument, { input, idempotencyKey: key });
    expect(retried.body.data!.createInitiative!.id).toBe(initiative.id);

    const updated = await system.run('municipality-caseworker', 'COORDINATION', UpdateInitiativeDocument, {
      id: initiative.id,
      version: initiative.version!,
      input: { title: 'Homework café, Sydbyen library' },
    });
    expect(updated.body.data!.updateInitiative!.version).toBe(initiative.version! + 1);
    const stale = await system.run('municipality-caseworker', 'COORDINATION', UpdateInitiativeDocument, {
      id: initiative.id,
      version: initiative.version!,
      input: { title: 'Too late' },
    });
    expect(codes(stale)).toEqual(['CONFLICT']);
    const foreign = await system.run('housing-fob-caseworker', 'COORDINATION', UpdateInitiativeDocument, {
      id: initiative.id,
      version: initiative.version! + 1,
      input: { title: 'Not ours' },
    });
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    const invalid = await system.run('municipality-caseworker', 'COORDINATION', CreateInitiativeDocument, {
      input: { ...input, areaIds: ['atlantis'] },
    });
    expect(codes(invalid)).toEqual(['BAD_USER_INPUT']);

    const closed = await system.run('municipality-caseworker', 'COORDINATION', CloseInitiativeDocument, {
      id: initiative.id,
      version: initiative.version! + 1,
      endsOn: day(0),
    });
    expect(closed.body.data!.closeInitiative!.endsOn).toBe(day(0));
    const listed = await system.run('police-investigator', 'COORDINATION', InitiativesDocument, {
      filter: { organisationId: 'slagelse-kommune', areaId: 'sydbyen' },
      first: 500,
    });
    expect(listed.body.data!.initiatives!.nodes.map((n) => n.id)).toContain(initiative.id);
  });

  it('notices: posted, acknowledged by others, followed up by the secretariat', async () => {
    const planned = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const posted = await system.run('police-investigator', 'COORDINATION', PostNoticeDocument, {
      input: { subject: 'Press release on safety walks', summary: 'Results of the autumn walks.', areaIds: ['ringparken'], plannedPublicationAt: planned },
    });
    expect(posted.body.errors).toBeUndefined();
    const notice = posted.body.data!.postNotice!;
    expect(notice.missingAcknowledgements!.map((o) => o.id)).toContain('fob');
    expect(notice.missingAcknowledgements!.map((o) => o.id)).not.toContain('police');
    const ack = await system.run('housing-fob-caseworker', 'COORDINATION', AcknowledgeNoticeDocument, { id: notice.id });
    expect(ack.body.data!.acknowledgeNotice!.missingAcknowledgements!.map((o) => o.id)).not.toContain('fob');
    expect(codes(await system.run('police-investigator', 'COORDINATION', AcknowledgeNoticeDocument, { id: notice.id }))).toEqual(['FORBIDDEN']);
    const unacknowledgedByBk = await system.run('housing-bk-caseworker', 'COORDINATION', NoticesDocument, { filter: { unacknowledgedBy: 'bolig-korsor' }, first: 100 });
    expect(unacknowledgedByBk.body.data!.notices!.nodes.map((n) => n.id)).toContain(notice.id);

    const late = await system.run('housing-fob-caseworker', 'COORDINATION', PostNoticeDocument, {
      input: {
        subject: 'Statement to the local paper',
        summary: 'Answered a journalist about the Ringparken fire.',
        areaIds: ['ringparken'],
        alreadyPublishedAt: new Date(Date.now() - 3600_000).toISOString(),
        reasonForLateNotice: 'The journalist called on a Sunday.',
      },
    });
    expect(late.body.data!.postNotice!.isLate).toBe(true);
    const followUp = await system.run('secretariat-coordinator', 'COORDINATION', SecretariatNoticeFollowUpDocument, { olderThanHours: 0 });
    expect(followUp.body.errors).toBeUndefined();
    expect(followUp.body.data!.overdueAcknowledgements!.nodes.map((n) => n.id)).toContain(notice.id);
    expect(followUp.body.data!.lateNotices!.nodes.map((n) => n.id)).toContain(late.body.data!.postNotice!.id);
    const notSecretariat = await system.run('housing-fob-caseworker', 'COORDINATION', SecretariatNoticeFollowUpDocument, {});
    expect(codes(notSecretariat)).toContain('FORBIDDEN');
  });

  it('referral to termination: decision, tenancy check, referral, inbox, case, outcome, § 63 e', async () => {
    // A current FOB tenant in Ringparken, where SAB also lets dwellings.
    const tenancy = [...system.world.tenancies()].find((t) => t.companyId === 'fob' && t.areaId === 'ringparken' && !t.endDate)!;
    const person = tenancy.tenantPersonId;
    const recorded = await system.run('police-investigator', 'TERMINATION_90_10', RecordCriminalDecisionDocument, {
      input: {
        personId: person,
        personBirthDate: '1985-03-01',
        decidedOn: day(-90),
        offenceCategory: 'VIOLENCE',
        decisionType: 'UNCONDITIONAL_IMPRISONMENT',
        sentenceDays: 120,
        withinOrAffectingArea: true,
        areaId: 'ringparken',
        caseNumber: '0300-70001-00001-26',
        court: 'Retten i Næstved',
        offenceDescription: 'Assault in the stairwell (synthetic)',
      },
    });
    expect(recorded.body.errors).toBeUndefined();
    const decisionId = recorded.body.data!.recordCriminalDecision!.id;

    const holding = await system.run('police-investigator', 'TERMINATION_90_10', TenancyHoldingDocument, { personId: person });
    expect(holding.body.data!.person!.tenancyHolding).toEqual({ holdsCurrentTenancy: true, housingCompanies: [{ id: 'fob', name: 'Fællesorganisationens Boligselskab Slagelse' }] });

    const wrongPurpose = await system.run('police-investigator', 'CRIME_PREVENTION_63D', ReferDecisionDocument, {
      input: { decisionId, housingCompanyId: 'fob', purpose: 'TERMINATION_90_10' },
    });
    expect(codes(wrongPurpose)).toEqual(['BAD_USER_INPUT']);
    const referred = await system.run('police-investigator', 'TERMINATION_90_10', ReferDecisionDocument, {
      input: { decisionId, housingCompanyId: 'fob', purpose: 'TERMINATION_90_10' },
      idempotencyKey: randomUUID(),
    });
    expect(referred.body.errors).toBeUndefined();
    const referralId = referred.body.data!.referDecision!.id;

    const inbox = await system.run('housing-fob-caseworker', 'TERMINATION_90_10', ReferralInboxDocument, { first: 200 });
    const item = inbox.body.data!.referrals!.nodes.find((r) => r.id === referralId)!;
    expect(item.decision).toMatchObject({ id: decisionId, decisionType: 'UNCONDITIONAL_IMPRISONMENT', offenceCategory: 'VIOLENCE' });
    const otherInbox = await system.run('housing-bk-caseworker', 'TERMINATION_90_10', ReferralInboxDocument, { first: 200 });
    expect(otherInbox.body.data!.referrals!.nodes.map((r) => r.id)).not.toContain(referralId);

    const tenancies = await system.run('housing-fob-caseworker', 'TERMINATION_90_10', PersonTenanciesDocument, { id: item.person!.id });
    const current = tenancies.body.data!.person!.tenancies!.find((t) => t.isCurrent)!;
    expect(current.id).toBe(tenancy.id);

    const opened = await system.run('housing-fob-caseworker', 'TERMINATION_90_10', OpenTerminationCaseDocument, {
      input: { referralId, tenancyId: current.id, basis: 'ALMENLEJELOVEN_90_1_10' },
    });
    expect(opened.body.errors).toBeUndefined();
    let kase = opened.body.data!.openTerminationCase!;
    expect(kase.status).toBe('ASSESSING');
    const foreign = await system.run('housing-sab-caseworker', 'TERMINATION_90_10', AdvanceTerminationCaseDocument, { id: kase.id, version: kase.version!, status: 'NOTICE_SERVED' });
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    for (const status of ['NOTICE_SERVED', 'IN_COURT', 'COMPLETED'] as const) {
      const moved = await system.run('housing-fob-caseworker', 'TERMINATION_90_10', AdvanceTerminationCaseDocument, { id: kase.id, version: kase.version!, status });
      expect(moved.body.errors).toBeUndefined();
      kase = { ...kase, ...moved.body.data!.advanceTerminationCase! };
    }
    const illegal = await system.run('housing-fob-caseworker', 'TERMINATION_90_10', AdvanceTerminationCaseDocument, { id: kase.id, version: kase.version!, status: 'ASSESSING' });
    expect(codes(illegal)).toEqual(['BAD_USER_INPUT']);

    const outcomes = await system.run('police-investigator', 'TERMINATION_90_10', ReferralOutcomesDocument, { first: 500 });
    const outcome = outcomes.body.data!.referrals!.nodes.find((r) => r.id === referralId)!;
    expect(outcome.terminationCase).toMatchObject({ id: kase.id, status: 'COMPLETED' });

    // § 63 e: SAB, also in Ringparken, considering the person as an applicant.
    const check = await system.run('housing-sab-caseworker', 'CRIME_PREVENTION_63D', ApplicantCheckDocument, { personId: person, areaId: 'ringparken' });
    expect(check.body.errors).toBeUndefined();
    expect(check.body.data!.crimeTerminationsOfApplicant).toEqual([{ name: tenancy.tenantName, address: tenancy.unitAddress, terminatedForCrime: true }]);
    const elsewhere = await system.run('housing-bk-caseworker', 'CRIME_PREVENTION_63D', ApplicantCheckDocument, { personId: person, areaId: 'ringparken' });
    expect(codes(elsewhere)).toEqual(['FORBIDDEN']);

    // Every change is in its owner's log, with the person concerned.
    const policeLog = await system.gql('police-auditor', 'COORDINATION', `{ policeDisclosureLog(subject: "${person}", first: 50) { nodes { action entityType entityIds purpose } } }`);
    const policeRows = policeLog.body.data.policeDisclosureLog.nodes;
    expect(policeRows).toContainEqual({ action: 'CREATE', entityType: 'CriminalDecision', entityIds: [decisionId], purpose: 'TERMINATION_90_10' });
    expect(policeRows).toContainEqual({ action: 'CREATE', entityType: 'Referral', entityIds: [referralId], purpose: 'TERMINATION_90_10' });
    const housingLog = await system.gql('housing-fob-auditor', 'COORDINATION', `{ housingDisclosureLog(subject: "${person}", first: 50) { nodes { action entityType organisation } } }`);
    const housingRows = housingLog.body.data.housingDisclosureLog.nodes.filter((r: { entityType: string }) => r.entityType === 'TerminationCase');
    expect(housingRows.filter((r: { action: string }) => r.action === 'UPDATE')).toHaveLength(3);
    expect(housingRows.filter((r: { action: string }) => r.action === 'CREATE')).toHaveLength(1);
  });

  it('meetings: the bodies of the agreement, decisions and their follow-up', async () => {
    const bodies = await system.run('secretariat-coordinator', 'COORDINATION', BodiesDocument);
    const board = bodies.body.data!.bodies!.find((b) => b!.kind === 'BOARD')!;
    expect(board.policeRepresentatives).toBe(3);
    expect(board.meetingsPerYear).toBe(2);
    const participants = (police: number) => [
      { organisationId: 'police', representatives: police },
      { organisationId: 'slagelse-kommune', representatives: 2 },
      { organisationId: 'fob', representatives: 1 },
    ];
    const tooFew = await system.run('secretariat-coordinator', 'COORDINATION', ScheduleMeetingDocument, {
      input: { bodyId: board.id, scheduledFor: day(0), title: 'Board meeting', participants: participants(2) },
    });
    expect(codes(tooFew)).toEqual(['BAD_USER_INPUT']);
    const meeting = await system.run('secretariat-coordinator', 'COORDINATION', ScheduleMeetingDocument, {
      input: { bodyId: board.id, scheduledFor: day(0), title: 'Board meeting', participants: participants(3) },
    });
    expect(meeting.body.errors).toBeUndefined();
    const decision = await system.run('secretariat-coordinator', 'COORDINATION', RecordMeetingDecisionDocument, {
      meetingId: meeting.body.data!.scheduleMeeting!.id,
      input: { text: 'FOB reports on the stairwell lighting', ownerId: 'fob', dueOn: day(30) },
    });
    expect(decision.body.data!.recordDecision!.isOverdue).toBe(false);

    const overdue = await system.run('board-member', 'COORDINATION', OverdueDecisionsDocument, {});
    const list = overdue.body.data!.overdueDecisions!;
    expect(list.length).toBeGreaterThan(0);
    const first = list[0]!;
    const owner = first.owner!.id;
    const completed = await system.run('secretariat-coordinator', 'COORDINATION', CompleteMeetingDecisionDocument, { id: first.id, version: 1, completedOn: day(0) });
    expect(completed.body.errors, `owner ${owner}`).toBeUndefined();
    const after = await system.run('board-member', 'COORDINATION', OverdueDecisionsDocument, {});
    expect(after.body.data!.overdueDecisions!.map((d) => d.id)).not.toContain(first.id);
  });
});
