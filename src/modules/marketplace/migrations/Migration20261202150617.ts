import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202150617 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_order_link" add column if not exists "channel" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_order_link" drop column if exists "channel";`);
  }

}
