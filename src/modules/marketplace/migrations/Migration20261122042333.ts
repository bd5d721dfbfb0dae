import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122042333 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_connection" drop constraint if exists "marketplace_connection_shipping_option_id_unique";`);
    this.addSql(`alter table if exists "marketplace_connection" add column if not exists "shipping_option_id" text null;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_connection_shipping_option_id_unique" ON "marketplace_connection" ("shipping_option_id") WHERE deleted_at IS NULL AND shipping_option_id IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_marketplace_connection_shipping_option_id_unique";`);
    this.addSql(`alter table if exists "marketplace_connection" drop column if exists "shipping_option_id";`);
  }

}
