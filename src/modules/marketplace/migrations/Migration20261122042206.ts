import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122042206 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_return_link" add column if not exists "external_order_id" text null, add column if not exists "refunded_amount" numeric null, add column if not exists "reason" text null, add column if not exists "note" text null, add column if not exists "raw_refunded_amount" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_return_link" drop column if exists "external_order_id", drop column if exists "refunded_amount", drop column if exists "reason", drop column if exists "note", drop column if exists "raw_refunded_amount";`);
  }

}
