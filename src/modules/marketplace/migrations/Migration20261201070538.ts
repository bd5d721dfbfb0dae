import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Fulfilment follow-ups move from the Fulfillment module's `data.follow_up` into their own queue table. Every
 * fulfilment of the plugin's provider (`marketplace_<registration id>`) whose follow-up was still open gets a
 * row with its attempts, next attempt and last error: no next attempt means its attempts were spent (dead).
 * Both modules share the database, so the move is SQL; without a fulfillment table (the Fulfillment module
 * not installed) there is nothing to move.
 */
export class Migration20261201070538 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_fulfillment_follow_up" drop constraint if exists "marketplace_fulfillment_follow_up_fulfillment_id_unique";`);
    this.addSql(`create table if not exists "marketplace_fulfillment_follow_up" ("id" text not null, "fulfillment_id" text not null, "connection_id" text not null, "external_order_id" text not null, "status" text check ("status" in ('pending', 'processing', 'done', 'failed', 'dead')) not null default 'pending', "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "processing_started_at" timestamptz null, "completed_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_fulfillment_follow_up_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_fulfillment_follow_up_deleted_at" ON "marketplace_fulfillment_follow_up" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_fulfillment_follow_up_fulfillment_id_unique" ON "marketplace_fulfillment_follow_up" ("fulfillment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_fulfillment_follow_up_status_next_attempt_at" ON "marketplace_fulfillment_follow_up" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_fulfillment_follow_up_connection_id" ON "marketplace_fulfillment_follow_up" ("connection_id") WHERE deleted_at IS NULL;`);

    this.addSql(`do $$ begin
      if to_regclass('fulfillment') is not null then
        insert into "marketplace_fulfillment_follow_up" ("id", "fulfillment_id", "connection_id", "external_order_id", "status", "attempts", "next_attempt_at", "last_error")
        select 'mpfup_' || substr(f."id", strpos(f."id", '_') + 1), f."id", f."data"->>'connection_id', f."data"->>'external_order_id',
          case when (f."data"->'follow_up'->>'next_attempt_at') is null then 'dead'
               when coalesce((f."data"->'follow_up'->>'attempts')::int, 0) = 0 then 'pending'
               else 'failed' end,
          coalesce((f."data"->'follow_up'->>'attempts')::int, 0),
          (f."data"->'follow_up'->>'next_attempt_at')::timestamptz,
          f."data"->'follow_up'->>'last_error'
        from "fulfillment" f
        where f."provider_id" like 'marketplace\\_%' and f."deleted_at" is null and f."canceled_at" is null
          and jsonb_typeof(f."data"->'follow_up') = 'object'
          and f."data"->>'connection_id' is not null and f."data"->>'external_order_id' is not null
        on conflict do nothing;
      end if;
    end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "marketplace_fulfillment_follow_up" cascade;`);
  }

}
