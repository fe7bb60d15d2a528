import { badInput, forbidden, notFound } from '@partnergraph/common';
import { ORGANISATIONS } from '@partnergraph/vocabulary';
import { conflict, entityRef, runMutation, type Queryable } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertOrganisation } from '../data/ids.js';
import { instant } from '../data/rows.js';
import { text } from '../data/validate.js';
import { allowedWebhookHosts } from '../delivery/WebhookDeliverer.js';
import { fingerprintWebhookSecret, sealWebhookSecret, webhookKeys } from '../delivery/secrets.js';
import { webhookTargetProblem } from '../delivery/signature.js';
import { MUNICIPALITY } from '../policies/resources.js';
import { Organisation } from '../types/Organisation.js';
import { RegisterWebhookInput, Webhook, WebhookDeliveryState } from '../types/Webhook.js';

const WEBHOOK_COLUMNS = `w.organisation_id AS "organisationId", w.url, ${instant('w.registered_at')} AS "registeredAt",
  w.registered_by AS "registeredBy", w.version`;

/** Scheme and host only: where a party's systems live is for that party to know. */
const targetOf = (url: string | null): string | null => (url ? new URL(url).origin : null);

/** A versioned write that touched nothing: the webhook is gone, or someone changed it first. */
async function assertWebhookUpdated(tx: Queryable, rows: unknown[], organisation: string): Promise<void> {
  if (rows.length) return;
  const exists = await tx.query('SELECT 1 FROM webhooks WHERE organisation_id = $1', [organisation]);
  throw exists.length ? conflict('Your webhook') : notFound('Webhook');
}

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => Webhook, { nullable: true, description: "Your organisation's webhook; null when it has none." })
  async webhook(@Ctx() ctx: MunicipalityContext): Promise<Webhook | null> {
    const [row] = await ctx.db.query<Webhook>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.organisation_id = $1`, [ctx.authz.organisation]);
    return ctx.authz.visibleOrNull('Webhook', row);
  }

  @Query(() => [WebhookDeliveryState], {
    nullable: true,
    description: "Webhook deliveries per party: the secretariat sees every party's, a party its own.",
  })
  async webhookDeliveryStates(
    @Ctx() ctx: MunicipalityContext,
    @Arg('organisationId', () => ID, { nullable: true, description: 'Only this party.' }) organisationId?: string,
  ): Promise<WebhookDeliveryState[]> {
    if (organisationId) assertOrganisation(organisationId, 'organisationId');
    const rows = await ctx.db.query<WebhookDeliveryState & { url: string | null }>(
      `SELECT o.id AS "organisationId", w.url, w.organisation_id IS NOT NULL AS registered,
         count(d.id) FILTER (WHERE d.status = 'PENDING')::int AS pending,
         count(d.id) FILTER (WHERE d.status = 'DELIVERED')::int AS delivered,
         count(d.id) FILTER (WHERE d.status = 'GAVE_UP')::int AS "gaveUp",
         ${instant("min(d.created_at) FILTER (WHERE d.status = 'PENDING')")} AS "oldestPendingSince",
         ${instant('max(d.delivered_at)')} AS "lastDeliveredAt",
         ${instant("max(d.last_attempt_at) FILTER (WHERE d.status <> 'DELIVERED' AND d.last_error IS NOT NULL)")} AS "lastFailureAt",
         (SELECT f.last_error FROM webhook_deliveries f WHERE f.organisation_id = o.id AND f.status <> 'DELIVERED' AND f.last_error IS NOT NULL
          ORDER BY f.last_attempt_at DESC LIMIT 1) AS "lastFailure"
       FROM organisations o
       LEFT JOIN webhooks w ON w.organisation_id = o.id
       LEFT JOIN webhook_deliveries d ON d.organisation_id = o.id
       WHERE ($1::text IS NULL OR o.id = $1)
       GROUP BY o.id, w.url, w.organisation_id
       ORDER BY array_position($2::text[], o.id), o.id`,
      [organisationId ?? null, ORGANISATIONS.map((o) => o.id)],
    );
    return ctx.authz.visible(
      'WebhookDeliveryState',
      rows.map(({ url, ...row }) => ({ ...row, target: targetOf(url) })),
    );
  }

  @FieldResolver(() => Organisation, { nullable: true })
  async organisation(@Root() webhook: Webhook, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(webhook.organisationId));
  }

  @Mutation(() => Webhook, {
    description:
      "Registers your organisation's webhook, or replaces it (send the version you read). Notices are then delivered to it as signed requests.",
  })
  async registerWebhook(
    @Ctx() ctx: MunicipalityContext,
    @Arg('input', () => RegisterWebhookInput, { nullable: false }) input: RegisterWebhookInput,
    @Arg('version', () => Int, { nullable: true, description: 'The version you read, to replace a webhook; omit to register the first.' })
    version?: number,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Webhook> {
    const organisation = ctx.authz.organisation;
    if (!ctx.authz.canDo('Webhook:write', 'Webhook', { organisation: entityRef('Organisation', organisation) })) throw forbidden();
    const url = text(input.url, 'input.url', 10, 2000);
    const problem = webhookTargetProblem(url, allowedWebhookHosts());
    if (problem) throw badInput(`The webhook URL ${problem}.`, 'input.url');
    const secret = input.secret ?? '';
    if (secret.length < 32 || secret.length > 256) throw badInput('The secret must be 32–256 characters.', 'input.secret');
    const principal = ctx.identity.principal.subject;
    // Stored encrypted only: sealed afresh on every write, so a row under a previous key moves to the current one.
    const sealed = sealWebhookSecret(webhookKeys(), organisation, secret);
    return runMutation(ctx, {
      name: 'registerWebhook',
      idempotencyKey,
      // Only a hash of the input is kept with the idempotency key; the secret enters it keyed, so the hash cannot be tried against guesses.
      input: { url, version: version ?? null, secret: fingerprintWebhookSecret(webhookKeys(), secret) },
      work: async (tx) => {
        let rows: Webhook[];
        if (version === undefined || version === null) {
          rows = await tx.query<Webhook>(
            `INSERT INTO webhooks AS w (organisation_id, url, secret, registered_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (organisation_id) DO NOTHING RETURNING ${WEBHOOK_COLUMNS}`,
            [organisation, url, sealed, principal],
          );
          if (!rows[0]) {
            throw badInput('Your organisation already has a webhook: send the version you read to replace it.', 'version');
          }
        } else {
          rows = await tx.query<Webhook>(
            `UPDATE webhooks w SET url = $3, secret = $4, registered_by = $5, registered_at = date_trunc('milliseconds', now()), version = w.version + 1
             WHERE w.organisation_id = $1 AND w.version = $2 RETURNING ${WEBHOOK_COLUMNS}`,
            [organisation, version, url, sealed, principal],
          );
          await assertWebhookUpdated(tx, rows, organisation);
        }
        const webhook = rows[0]!;
        return { result: webhook, changes: [ctx.audit.changed('REGISTER', 'Webhook', organisation, null, ['url', 'secret'], MUNICIPALITY)] };
      },
    });
  }

  @Mutation(() => Boolean, {
    description: "Removes your organisation's webhook (send the version you read). Deliveries not yet made are given up.",
  })
  async removeWebhook(
    @Ctx() ctx: MunicipalityContext,
    @Arg('version', () => Int, { nullable: false }) version: number,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<boolean> {
    const organisation = ctx.authz.organisation;
    if (!ctx.authz.canDo('Webhook:write', 'Webhook', { organisation: entityRef('Organisation', organisation) })) throw forbidden();
    return runMutation(ctx, {
      name: 'removeWebhook',
      idempotencyKey,
      input: { version },
      work: async (tx) => {
        const rows = await tx.query<{ organisationId: string }>(
          'DELETE FROM webhooks w WHERE w.organisation_id = $1 AND w.version = $2 RETURNING w.organisation_id AS "organisationId"',
          [organisation, version],
        );
        await assertWebhookUpdated(tx, rows, organisation);
        await tx.query(
          `UPDATE webhook_deliveries SET status = 'GAVE_UP', last_error = 'The organisation removed its webhook.', lease_until = NULL
           WHERE organisation_id = $1 AND status = 'PENDING'`,
          [organisation],
        );
        return { result: true, changes: [ctx.audit.changed('REMOVE', 'Webhook', organisation, null, ['url', 'secret'], MUNICIPALITY)] };
      },
    });
  }
}

@Resolver(() => WebhookDeliveryState)
export class WebhookDeliveryStateResolver {
  @FieldResolver(() => Organisation, { nullable: true })
  async organisation(@Root() state: WebhookDeliveryState, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(state.organisationId));
  }
}
