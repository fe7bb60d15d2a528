import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Organisation } from './Organisation.js';

/**
 * Where an organisation's own systems receive notices: signed POST requests
 * (see the README, "Webhooks"). The secret is write-only.
 */
@ObjectType({ description: "An organisation's webhook: where its own systems receive notices as signed requests. The secret is never returned." })
export class Webhook {
  organisationId!: string;

  @Field(() => Organisation)
  organisation!: Organisation | null;

  @Field(() => String)
  url!: string;

  @Field(() => DateTimeResolver)
  registeredAt!: string;

  @Field(() => String, { description: "The registering principal's subject at its organisation's identity provider." })
  registeredBy!: string;

  @Field(() => Int, { description: 'Increases with every change; send it back to change or remove the webhook.' })
  version!: number;
}

@InputType({ description: "Registers (or replaces) the caller's organisation's webhook." })
export class RegisterWebhookInput {
  @Field(() => String, { nullable: false, description: 'An http(s) URL without credentials, at most 2000 characters.' })
  url!: string;

  @Field(() => String, { nullable: false, description: 'The shared HMAC-SHA256 key, 32–256 characters; keep it in your receiving system only.' })
  secret!: string;
}

/** How deliveries to one party stand: for the secretariat's follow-up, and for the party itself. */
@ObjectType({ description: "How webhook deliveries to one party stand." })
export class WebhookDeliveryState {
  organisationId!: string;

  @Field(() => Organisation)
  organisation!: Organisation | null;

  @Field(() => Boolean, { description: 'Whether the party has a webhook now.' })
  registered!: boolean;

  @Field(() => String, { description: "The webhook's scheme and host, e.g. https://partner.example; the full URL stays with the party." })
  target!: string | null;

  @Field(() => Int, { description: 'Deliveries not yet made (retrying, or about to be sent).' })
  pending!: number;

  @Field(() => Int)
  delivered!: number;

  @Field(() => Int, { description: 'Deliveries given up after the retry period.' })
  gaveUp!: number;

  @Field(() => DateTimeResolver, { description: 'When the oldest pending delivery was created.' })
  oldestPendingSince!: string | null;

  @Field(() => DateTimeResolver)
  lastDeliveredAt!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the last attempt that failed was made.' })
  lastFailureAt!: string | null;

  @Field(() => String, { description: 'Why the last failed attempt failed, e.g. "The receiver answered 503."' })
  lastFailure!: string | null;
}
