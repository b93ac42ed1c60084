import type { PostgresMigration } from "../apply-migrations.js";

/**
 * Calendar link ids are never handed out twice (SQLite's 003). An identity sequence never reuses a
 * value by itself; this step only makes sure it starts above every id still named anywhere, as the
 * SQLite step does for databases that predate it.
 */
export const calendarLinkIdsMigration: PostgresMigration = {
  version: 3,
  name: "calendar-link-ids",
  sql: `
SELECT setval(pg_get_serial_sequence('calendar_link', 'link_id'), greatest(highest, 1), highest > 0)
FROM (
  SELECT greatest(
    (SELECT coalesce(max(link_id), 0) FROM calendar_link),
    (SELECT coalesce(max(split_part(source_ref, ':', 1)::bigint), 0) FROM busy_interval WHERE source = 'calendar'),
    (SELECT coalesce(max(split_part(source_ref, ':', 1)::bigint), 0) FROM busy_conflict WHERE source = 'calendar')
  ) AS highest
) AS ids;
`,
};
