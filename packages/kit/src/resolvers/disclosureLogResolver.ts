import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { DisclosureRow } from '../audit/DisclosureLog.js';
import { entityRef } from '../authz/cedarValues.js';
import { defineResources, type ResourceDescriptor } from '../authz/resources.js';
import type { SubgraphContext } from '../context.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination.js';
import { Purpose } from '../types/Purpose.js';
import { DisclosureLogConnection, DisclosureLogEntry, DisclosureLogVerification } from '../types/DisclosureLogEntry.js';



/** Log rows are themselves personal data: reading them is logged, and only the data owner's auditors may. */
export const disclosureLogResource: ResourceDescriptor<DisclosureLogEntry> = {
  id: (row) => row.id,
  attributes: (row) => ({ dataOwner: entityRef('Organisation', row.dataOwner) }),
  sql: { dataOwner: { sql: 'data_owner', kind: 'entity', entityType: 'Organisation' } },
  personal: { subject: (row) => row.dataSubjects, owner: (row) => row.dataOwner },
};

export const disclosureLogResources = defineResources({ DisclosureLogEntry: disclosureLogResource }, [
  'DisclosureLogConnection',
  'DisclosureLogVerification',
  'PageInfo',
]).resources;

// Rows written before tracing (or outside a request) have no trace id: null, not absent.
const toEntry = (row: DisclosureRow): DisclosureLogEntry => ({ ...row, id: String(row.seq), traceId: row.traceId ?? null });

/**
 * `<owner>DisclosureLog` and `<owner>DisclosureLogVerification` for one owner.
 * Each owner's log has its own root field, so an auditor reads its own owner's
 * log, answered by that owner's subgraph from that owner's database.
 */
export function createDisclosureLogResolver(owner: string) {
  @Resolver()
  class DisclosureLogResolver {
    @Query(() => DisclosureLogConnection, {
      name: `${owner}DisclosureLog`,
      description: `The ${owner} disclosure log, newest first; filter by data subject to list the accesses concerning one person.`,
    })
    async disclosureLog(
      @Ctx() ctx: SubgraphContext,
      @Arg('subject', () => ID, { nullable: true }) subject?: string,
      @Arg('purpose', () => Purpose, { nullable: true }) purpose?: string,
      @Arg('from', () => DateTimeResolver, { nullable: true }) from?: Date,
      @Arg('to', () => DateTimeResolver, { nullable: true }) to?: Date,
      @Arg('first', () => Int, { nullable: true }) first?: number,
      @Arg('after', () => String, { nullable: true }) after?: string,
    ): Promise<DisclosureLogConnection> {
      const size = pageSize(first);
      const cursor = decodeCursor(after, { sort: 'sequence', id: (id) => /^\d{1,16}$/.test(id) });
      ctx.audit.searched('DisclosureLogEntry', { subject, purpose, from, to });
      // The rows the owner's rules let this auditor review, narrowed in SQL and decided row by row below.
      const rows = await ctx.disclosureLog.list({
        reviewable: (params) => ctx.authz.sqlFilter('DisclosureLogEntry', params),
        ...(subject ? { subject } : {}),
        ...(purpose ? { purpose } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(cursor ? { afterSeq: cursor[0] as number } : {}),
        limit: size + 1,
      });
      const entries = ctx.authz.visible('DisclosureLogEntry', rows.map(toEntry));
      const page = entries.slice(0, size);
      const last = page[page.length - 1];
      return {
        nodes: page,
        pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeCursor([last.seq, last.id]) : null },
      };
    }

    @Query(() => DisclosureLogVerification, {
      name: `${owner}DisclosureLogVerification`,
      description: `Walks the ${owner} disclosure log's hash chain and reports the first break, if any.`,
    })
    async verify(@Ctx() ctx: SubgraphContext): Promise<DisclosureLogVerification> {
      const result = await ctx.disclosureLog.verify();
      return { ok: result.ok, checkedRows: result.checkedRows, brokenAtSeq: result.brokenAtSeq, reason: result.reason };
    }
  }
  return DisclosureLogResolver;
}
