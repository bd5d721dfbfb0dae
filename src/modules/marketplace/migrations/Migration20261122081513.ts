import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122081513 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_event" add column if not exists "order_updated_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_event" drop column if exists "order_updated_at";`);
  }

}
