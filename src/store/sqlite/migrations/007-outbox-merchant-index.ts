import type { Migration } from "../apply-migrations.js";

/** The console lists one merchant's real-time updates page by page, in either order of entry id. */
export const outboxMerchantIndexMigration: Migration = {
  version: 7,
  name: "outbox-merchant-index",
  sql: `
CREATE INDEX outbox_entry_merchant ON outbox_entry (merchant_id, entry_id);
`,
};
