import { badInput, forbidden, notFound } from '@partnergraph/common';
import { assertUpdated, conflict, entityRef, runMutation, type Queryable } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertId } from '../data/ids.js';
import { INITIATIVE_COLUMNS, today } from '../data/rows.js';
import { validateInitiative as validateState, type InitiativeState as State } from '../data/rules.js';
import { MUNICIPALITY } from '../policies/resources.js';
import { CreateInitiativeInput, Initiative, UpdateInitiativeInput } from '../types/Initiative.js';

async function readInitiative(tx: Queryable, id: string): Promise<Initiative> {
  const [row] = await tx.query<Initiative>(`SELECT ${INITIATIVE_COLUMNS} FROM initiatives i WHERE i.id = $1`, [id]);
  if (!row) throw notFound('Initiative');
  return row;
}

/** A party changes only its own organisation's initiatives. */
function assertMayWrite(ctx: MunicipalityContext, row: Initiative): void {
  const attrs = { responsible: entityRef('Organisation', row.responsibleOrganisationId) };
  if (!ctx.authz.canDo('Initiative:write', 'Initiative', attrs, row.id)) throw forbidden();
}

@Resolver()
export class InitiativeMutationResolver {
  @Mutation(() => Initiative, {
    description:
      "Registers an initiative of the caller's organisation, which becomes its responsible organisation. Retry with the same idempotencyKey to get the first answer again.",
  })
  async createInitiative(
    @Ctx() ctx: MunicipalityContext,
    @Arg('input', () => CreateInitiativeInput, { nullable: false }) input: CreateInitiativeInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Initiative> {
    const organisation = ctx.authz.organisation;
    if (!ctx.authz.canDo('Initiative:write', 'Initiative', { responsible: entityRef('Organisation', organisation) })) throw forbidden();
    return runMutation(ctx, {
      name: 'createInitiative',
      idempotencyKey,
      input: { ...input },
      work: async (tx) => {
        const state = validateState(input, organisation, 'input');
        const [created] = await tx.query<{ id: string }>(
          `INSERT INTO initiatives (id, title, description, kind, responsible_organisation, starts_on, ends_on)
           VALUES ('I' || lpad(nextval('initiative_number')::text, 5, '0'), $1, $2, $3, $4, $5, $6) RETURNING id`,
          [state.title, state.description, state.kind, organisation, state.startsOn, state.endsOn],
        );
        const id = created!.id;
        await tx.query('INSERT INTO initiative_areas (initiative_id, area_id) SELECT $1, unnest($2::text[])', [id, state.areaIds]);
        return {
          result: await readInitiative(tx, id),
          changes: [ctx.audit.changed('CREATE', 'Initiative', id, null, [...Object.keys(state), 'responsibleOrganisation'], MUNICIPALITY)],
        };
      },
    });
  }

  @Mutation(() => Initiative, {
    description: 'Changes an initiative of the caller\'s organisation. `version` is the version read: a stale one is refused with CONFLICT.',
  })
  async updateInitiative(
    @Ctx() ctx: MunicipalityContext,
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('version', () => Int, { nullable: false }) version: number,
    @Arg('input', () => UpdateInitiativeInput, { nullable: false }) input: UpdateInitiativeInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Initiative> {
    assertId('initiative', id);
    const given = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined) as Array<keyof State>;
    if (given.length === 0) throw badInput('Give at least one field to change.', 'input');
    for (const field of given) {
      if (field !== 'endsOn' && field !== 'description' && input[field] === null) throw badInput(`${field} cannot be null.`, `input.${field}`);
    }
    return runMutation(ctx, {
      name: 'updateInitiative',
      idempotencyKey,
      input: { id, version, input: { ...input } },
      work: async (tx) => {
        const current = await readInitiative(tx, id);
        assertMayWrite(ctx, current);
        if (current.version !== version) throw conflict('Initiative');
        const before: State = {
          title: current.title,
          description: current.description,
          kind: current.kind,
          areaIds: current.areaIds,
          startsOn: current.startsOn,
          endsOn: current.endsOn,
        };
        const next = validateState({ ...before, ...Object.fromEntries(given.map((k) => [k, input[k]])) }, current.responsibleOrganisationId, 'input');
        const changed = (Object.keys(next) as Array<keyof State>).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]));
        const rows = await tx.query<{ id: string }>(
          `UPDATE initiatives SET title = $3, description = $4, kind = $5, starts_on = $6, ends_on = $7, version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING id`,
          [id, version, next.title, next.description, next.kind, next.startsOn, next.endsOn],
        );
        await assertUpdated(tx, rows, 'initiatives', id, 'Initiative');
        if (changed.includes('areaIds')) {
          await tx.query('DELETE FROM initiative_areas WHERE initiative_id = $1', [id]);
          await tx.query('INSERT INTO initiative_areas (initiative_id, area_id) SELECT $1, unnest($2::text[])', [id, next.areaIds]);
        }
        return {
          result: await readInitiative(tx, id),
          changes: [ctx.audit.changed('UPDATE', 'Initiative', id, null, changed, MUNICIPALITY)],
        };
      },
    });
  }

  @Mutation(() => Initiative, {
    description: "Ends an initiative of the caller's organisation on a day (not before it started). A stale version is refused with CONFLICT.",
  })
  async closeInitiative(
    @Ctx() ctx: MunicipalityContext,
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('version', () => Int, { nullable: false }) version: number,
    @Arg('endsOn', () => LocalDateResolver, { nullable: false }) endsOn: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Initiative> {
    assertId('initiative', id);
    return runMutation(ctx, {
      name: 'closeInitiative',
      idempotencyKey,
      input: { id, version, endsOn },
      work: async (tx) => {
        const current = await readInitiative(tx, id);
        assertMayWrite(ctx, current);
        if (current.version !== version) throw conflict('Initiative');
        if (current.endsOn !== null && current.endsOn < today()) throw badInput(`The initiative is already closed (it ended on ${current.endsOn}).`, 'id');
        if (endsOn < current.startsOn) throw badInput(`endsOn must not be before the initiative started (${current.startsOn}).`, 'endsOn');
        const rows = await tx.query<{ id: string }>(
          'UPDATE initiatives SET ends_on = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id',
          [id, version, endsOn],
        );
        await assertUpdated(tx, rows, 'initiatives', id, 'Initiative');
        return {
          result: await readInitiative(tx, id),
          changes: [ctx.audit.changed('CLOSE', 'Initiative', id, null, ['endsOn'], MUNICIPALITY)],
        };
      },
    });
  }
}
