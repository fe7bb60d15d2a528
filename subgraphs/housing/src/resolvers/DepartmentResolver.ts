import { AREA_IDS } from '@partnergraph/vocabulary';
import { suppressTable } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { HousingContext } from '../context.js';
import { assertArea, assertCompany } from '../data/ids.js';
import { Department } from '../types/Department.js';
import { HousingArea } from '../types/HousingArea.js';
import { OccupancyStatistics } from '../types/OccupancyStatistics.js';
import { Organisation } from '../types/Organisation.js';

/**
 * Occupancy as one table per area: departments × (occupied, vacant), whose
 * row totals are the dwelling counts — public anyway (Department.units), so
 * never hidden. A tenancy is a tenant; a vacant dwelling is no one, so only
 * occupied counts of 1–4 are small cells, and the kit's suppression hides
 * enough around them that none can be recovered from the rest.
 */
async function occupancy(ctx: HousingContext, areaId: string): Promise<OccupancyStatistics> {
  const rows = await ctx.loaders.occupancyByArea.load(areaId);
  const departments = await ctx.loaders.departmentById.loadMany(rows.map((r) => r.departmentId));
  const table = suppressTable(
    rows.map((r) => [r.currentTenancies, Math.max(0, r.units - r.currentTenancies)]),
    { persons: rows.map((r) => [r.currentTenancies, 0]), publishedRowTotals: true },
  );
  const tenancies = rows.reduce((s, r) => s + r.currentTenancies, 0);
  const residents = rows.reduce((s, r) => s + r.currentResidents, 0);
  return {
    areaId,
    units: rows.reduce((s, r) => s + r.units, 0),
    currentTenancies: table.columnTotals[0] ?? null,
    vacantUnits: table.columnTotals[1] ?? null,
    averageHouseholdSize: table.columnTotals[0] !== null && tenancies > 0 ? Math.round((residents / tenancies) * 100) / 100 : null,
    departments: rows.map((r, i) => ({
      departmentId: r.departmentId,
      department: departments[i] as Department,
      units: r.units,
      currentTenancies: table.cells[i]![0]!,
      vacantUnits: table.cells[i]![1]!,
      suppressed: table.cells[i]![0] === null || table.cells[i]![1] === null,
    })),
  };
}

@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => [Department], { nullable: true, description: "Housing companies' departments (afdelinger), by area or company." })
  async departments(
    @Ctx() ctx: HousingContext,
    @Arg('areaId', () => ID, { nullable: true }) areaId?: string,
    @Arg('companyId', () => ID, { nullable: true }) companyId?: string,
  ): Promise<Department[]> {
    if (areaId) assertArea(areaId);
    if (companyId) assertCompany(companyId);
    const lists = companyId
      ? [await ctx.loaders.departmentsByCompany.load(companyId)]
      : await Promise.all((areaId ? [areaId] : AREA_IDS).map((a) => ctx.loaders.departmentsByArea.load(a)));
    const rows = lists.flat().filter((d) => !areaId || d.areaId === areaId);
    return ctx.authz.visible('Department', rows);
  }

  @FieldResolver(() => Organisation)
  company(@Root() department: Department): Organisation {
    return { id: department.companyId };
  }

  @FieldResolver(() => HousingArea)
  area(@Root() department: Department): HousingArea {
    return { id: department.areaId };
  }
}

/** The housing companies' contribution to HousingArea. */
@Resolver(() => HousingArea)
export class AreaHousingResolver {
  @FieldResolver(() => [Department], { nullable: true })
  async departments(@Root() area: HousingArea, @Ctx() ctx: HousingContext): Promise<Department[]> {
    return ctx.authz.visible('Department', await ctx.loaders.departmentsByArea.load(area.id));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Current tenancies in the area (suppressed below 5).' })
  async currentTenancyCount(@Root() area: HousingArea, @Ctx() ctx: HousingContext): Promise<number | null> {
    return (await occupancy(ctx, area.id)).currentTenancies;
  }

  @FieldResolver(() => OccupancyStatistics, { nullable: true })
  async occupancy(@Root() area: HousingArea, @Ctx() ctx: HousingContext): Promise<OccupancyStatistics | null> {
    return ctx.authz.visibleOrNull('OccupancyStatistics', await occupancy(ctx, area.id));
  }
}

/** The housing subgraph's contribution to a housing company. */
@Resolver(() => Organisation)
export class CompanyDepartmentsResolver {
  @FieldResolver(() => [Department], { nullable: true, description: "A housing company's departments." })
  async departments(@Root() organisation: Organisation, @Ctx() ctx: HousingContext): Promise<Department[]> {
    return ctx.authz.visible('Department', await ctx.loaders.departmentsByCompany.load(organisation.id));
  }
}

export async function resolveDepartmentReference(ref: { id: string }, ctx: HousingContext): Promise<Department | null> {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('Department', await ctx.loaders.departmentById.load(ref.id));
}

export function resolveAreaReference(ref: { id: string }, ctx: HousingContext): HousingArea | null {
  return typeof ref.id === 'string' && AREA_IDS.includes(ref.id) ? ctx.authz.visibleOrNull('HousingArea', { id: ref.id }) : null;
}

export function resolveOrganisationReference(ref: { id: string }, ctx: HousingContext): Organisation | null {
  return typeof ref.id === 'string' ? ctx.authz.visibleOrNull('Organisation', { id: ref.id }) : null;
}
