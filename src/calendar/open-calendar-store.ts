import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createCalendarSqliteStore } from "../store/sqlite/calendar-sqlite-store.js";
import { openDatabase, type SqliteDatabase } from "../store/sqlite/open-database.js";
import type { CalendarStore } from "./calendar-store.js";

/** The database file commands use: `--db`, else BOOKING_DB, else ./data/booking.db (as `serve`). */
export function resolveDbPath(option: string | undefined): string {
  return option ?? process.env.BOOKING_DB ?? "./data/booking.db";
}

/** An open calendar store over a database file, for one command. */
export interface OpenCalendarStore {
  db: SqliteDatabase;
  store: CalendarStore;
  close(): void;
}

/** Opens (creating and migrating if needed) the database and the calendar store over it. */
export function openCalendarStore(path: string): OpenCalendarStore {
  mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path);
  return { db, store: createCalendarSqliteStore(db), close: () => db.close() };
}
