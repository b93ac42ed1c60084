import type { PostgresMigration } from "../apply-migrations.js";

/** One merchant's real-time updates, paged by entry id in either order (SQLite's 007). */
export const outboxMerchantIndexMigration: PostgresMigration = {
  version: 7,
  name: "outbox-merchant-index",
  sql: `
CREATE INDEX outbox_entry_merchant ON outbox_entry (merchant_id, entry_id);
`,
};
