import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { BACKFILL_SQL } from "../utils/analytics-rollup";

/**
 * The analytics rollup: per shop and UTC day (and currency) the page's figures, and the units per product.
 * Filled here from the orders already imported (order links, return links, escrow, Medusa's order lines),
 * then kept by the import, escrow and return workflows (they mark days stale; refreshStaleAnalytics computes them).
 */
export class Migration20261202013156 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_analytics_product_day" drop constraint if exists "marketplace_analytics_product_day_connection_id_day_currency_code_product_key_unique";`);
    this.addSql(`alter table if exists "marketplace_analytics_day" drop constraint if exists "marketplace_analytics_day_connection_id_day_currency_code_unique";`);
    this.addSql(`create table if not exists "marketplace_analytics_day" ("id" text not null, "connection_id" text not null, "day" text not null, "currency_code" text not null, "orders" integer not null default 0, "cancellations" integer not null default 0, "returns" integer not null default 0, "gross_sales" numeric not null default 0, "refunds" numeric not null default 0, "fee_total" numeric not null default 0, "net_payout" numeric not null default 0, "settled_orders" integer not null default 0, "fees" jsonb null, "raw_gross_sales" jsonb not null default '{"value":"0","precision":20}', "raw_refunds" jsonb not null default '{"value":"0","precision":20}', "raw_fee_total" jsonb not null default '{"value":"0","precision":20}', "raw_net_payout" jsonb not null default '{"value":"0","precision":20}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_analytics_day_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_analytics_day_deleted_at" ON "marketplace_analytics_day" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_analytics_day_connection_id_day_currency_code_unique" ON "marketplace_analytics_day" ("connection_id", "day", "currency_code") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_analytics_product_day" ("id" text not null, "connection_id" text not null, "day" text not null, "currency_code" text not null, "product_key" text not null, "variant_id" text null, "product_id" text null, "sku" text null, "title" text not null, "quantity" numeric not null default 0, "sales" numeric not null default 0, "orders" integer not null default 0, "raw_quantity" jsonb not null default '{"value":"0","precision":20}', "raw_sales" jsonb not null default '{"value":"0","precision":20}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_analytics_product_day_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_analytics_product_day_deleted_at" ON "marketplace_analytics_product_day" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_analytics_product_day_connection_id_day_currency_code_product_key_unique" ON "marketplace_analytics_product_day" ("connection_id", "day", "currency_code", "product_key") WHERE deleted_at IS NULL;`);

    this.addSql(BACKFILL_SQL);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "marketplace_analytics_day" cascade;`);

    this.addSql(`drop table if exists "marketplace_analytics_product_day" cascade;`);
  }

}
