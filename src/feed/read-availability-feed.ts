import type { ConfirmationMode } from "../booking/inventory.js";
import { type FeedIssue, FieldReader } from "./feed-issues.js";
import type { JsonNode, JsonPosition } from "./json-with-positions.js";

/** How a feed is applied: a complete feed replaces all future inventory, an incremental one only what it names. */
export type ProcessingInstruction = "PROCESS_AS_COMPLETE" | "PROCESS_AS_INCREMENTAL";

/** One `availability` entry of a feed, before recurrence expansion. */
export interface FeedAvailability {
  at: JsonPosition;
  path: string;
  merchantId: string;
  serviceId: string;
  startSec: number;
  durationSec: number;
  spotsTotal: number;
  spotsOpen: number;
  availabilityTag: string;
  staffId: string;
  roomId: string;
  partySize: number;
  confirmationMode: ConfirmationMode;
  recurrence?: { repeatUntilSec: number; repeatEverySec: number };
  exceptions: { beginSec: number; endSec: number }[];
}

/** One `service_availability` block: availability replacing [startTimeRestrict, endTimeRestrict). */
export interface FeedServiceAvailability {
  startTimeRestrict?: number;
  endTimeRestrict?: number;
  availability: FeedAvailability[];
}

/** A feed that passed validation. */
export interface AvailabilityFeed {
  processingInstruction: ProcessingInstruction;
  serviceAvailability: FeedServiceAvailability[];
}

const modes: Record<string, ConfirmationMode> = {
  CONFIRMATION_MODE_UNSPECIFIED: "UNSPECIFIED",
  CONFIRMATION_MODE_SYNCHRONOUS: "SYNCHRONOUS",
  CONFIRMATION_MODE_ASYNCHRONOUS: "ASYNCHRONOUS",
  "0": "UNSPECIFIED",
  "1": "SYNCHRONOUS",
  "2": "ASYNCHRONOUS",
};

/** Validates Google's availability feed JSON; returns the feed, or every issue found (up to a limit). */
export function readAvailabilityFeed(root: JsonNode): { feed?: AvailabilityFeed; issues: FeedIssue[] } {
  const r = new FieldReader();
  const top = r.object(root, "$", root);
  if (!top) return { issues: r.issues };
  const metadata = r.object(top.entries.get("metadata"), "metadata", top);
  let instruction: ProcessingInstruction = "PROCESS_AS_COMPLETE";
  if (metadata) {
    const value = r.string(metadata, "processing_instruction", "metadata", { required: true });
    if (value === "PROCESS_AS_COMPLETE" || value === "PROCESS_AS_INCREMENTAL") instruction = value;
    else if (value !== undefined) {
      r.issue(
        metadata.entries.get("processing_instruction") ?? metadata,
        "metadata.processing_instruction",
        "must be PROCESS_AS_COMPLETE or PROCESS_AS_INCREMENTAL",
      );
    }
  }
  const blocks = r.array(top.entries.get("service_availability"), "service_availability", top, true) ?? [];
  const serviceAvailability: FeedServiceAvailability[] = [];
  blocks.forEach((blockNode, b) => {
    const path = `service_availability[${b}]`;
    const block = r.object(blockNode, path, blockNode);
    if (!block || r.issues.length >= 50) return;
    const startTimeRestrict = r.integer(block, "start_time_restrict", path, { min: 0, fallback: -1 });
    const endTimeRestrict = r.integer(block, "end_time_restrict", path, { min: 0, fallback: -1 });
    const entries = r.array(block.entries.get("availability"), `${path}.availability`, block, true) ?? [];
    const availability: FeedAvailability[] = [];
    entries.forEach((entryNode, a) => {
      if (r.issues.length >= 50) return;
      const entry = readAvailability(r, entryNode, `${path}.availability[${a}]`);
      if (!entry) return;
      if (startTimeRestrict !== undefined && startTimeRestrict >= 0 && entry.startSec < startTimeRestrict) {
        r.issue(entry.at, `${entry.path}.start_sec`, "starts before the block's start_time_restrict");
      } else if (endTimeRestrict !== undefined && endTimeRestrict >= 0 && entry.startSec >= endTimeRestrict) {
        r.issue(entry.at, `${entry.path}.start_sec`, "starts at or after the block's end_time_restrict");
      } else {
        availability.push(entry);
      }
    });
    serviceAvailability.push({
      ...(startTimeRestrict !== undefined && startTimeRestrict >= 0 ? { startTimeRestrict } : {}),
      ...(endTimeRestrict !== undefined && endTimeRestrict >= 0 ? { endTimeRestrict } : {}),
      availability,
    });
  });
  if (r.issues.length > 0) return { issues: r.issues };
  return { feed: { processingInstruction: instruction, serviceAvailability }, issues: [] };
}

function readAvailability(r: FieldReader, node: JsonNode, path: string): FeedAvailability | undefined {
  const entry = r.object(node, path, node);
  if (!entry) return undefined;
  const before = r.issues.length;
  const merchantId = r.string(entry, "merchant_id", path, { required: true });
  const serviceId = r.string(entry, "service_id", path, { required: true });
  const startSec = r.integer(entry, "start_sec", path, { min: 1 });
  const durationSec = r.integer(entry, "duration_sec", path, { min: 1 });
  const spotsTotal = r.integer(entry, "spots_total", path, { min: 0 });
  const spotsOpen = r.integer(entry, "spots_open", path, { min: 0, fallback: spotsTotal ?? 0 });
  if (spotsOpen !== undefined && spotsTotal !== undefined && spotsOpen > spotsTotal) {
    r.issue(entry.entries.get("spots_open") ?? entry, `${path}.spots_open`, "must not exceed spots_total");
  }
  const availabilityTag = r.string(entry, "availability_tag", path);
  const resources = entry.entries.get("resources");
  const res = resources ? r.object(resources, `${path}.resources`, entry) : undefined;
  const staffId = res ? r.string(res, "staff_id", `${path}.resources`) : "";
  const roomId = res ? r.string(res, "room_id", `${path}.resources`) : "";
  const partySize = res ? r.integer(res, "party_size", `${path}.resources`, { min: 0, fallback: 0 }) : 0;
  const modeNode = entry.entries.get("confirmation_mode");
  const modeKey = modeNode?.kind === "string" ? modeNode.value : modeNode?.kind === "number" ? modeNode.raw : "";
  const confirmationMode = modeNode ? (Object.hasOwn(modes, modeKey) ? modes[modeKey] : undefined) : "UNSPECIFIED";
  if (modeNode && !confirmationMode) {
    r.issue(modeNode, `${path}.confirmation_mode`, "must be a CONFIRMATION_MODE_* name or 0, 1, 2");
  }
  let recurrence: FeedAvailability["recurrence"];
  const recurrenceNode = entry.entries.get("recurrence");
  if (recurrenceNode) {
    const rec = r.object(recurrenceNode, `${path}.recurrence`, entry);
    const repeatUntilSec = rec ? r.integer(rec, "repeat_until_sec", `${path}.recurrence`, { min: 1 }) : undefined;
    const repeatEverySec = rec ? r.integer(rec, "repeat_every_sec", `${path}.recurrence`, { min: 1 }) : undefined;
    if (rec && repeatUntilSec !== undefined && startSec !== undefined && repeatUntilSec < startSec) {
      r.issue(rec.entries.get("repeat_until_sec") ?? rec, `${path}.recurrence.repeat_until_sec`, "is before start_sec");
    }
    if (repeatUntilSec !== undefined && repeatEverySec !== undefined) recurrence = { repeatUntilSec, repeatEverySec };
  }
  const exceptions: FeedAvailability["exceptions"] = [];
  const exceptionNodes = r.array(entry.entries.get("schedule_exception"), `${path}.schedule_exception`, entry, false);
  exceptionNodes?.forEach((exceptionNode, e) => {
    const ePath = `${path}.schedule_exception[${e}]`;
    const exception = r.object(exceptionNode, ePath, exceptionNode);
    const range = exception
      ? r.object(exception.entries.get("time_range"), `${ePath}.time_range`, exception)
      : undefined;
    if (!range) return;
    const beginSec = r.integer(range, "begin_sec", `${ePath}.time_range`, { min: 0 });
    const endSec = r.integer(range, "end_sec", `${ePath}.time_range`, { min: 0 });
    if (beginSec !== undefined && endSec !== undefined) {
      if (endSec <= beginSec)
        r.issue(range.entries.get("end_sec") ?? range, `${ePath}.time_range.end_sec`, "must be after begin_sec");
      else exceptions.push({ beginSec, endSec });
    }
  });
  if (r.issues.length > before) return undefined;
  return {
    at: entry,
    path,
    merchantId: merchantId ?? "",
    serviceId: serviceId ?? "",
    startSec: startSec ?? 0,
    durationSec: durationSec ?? 0,
    spotsTotal: spotsTotal ?? 0,
    spotsOpen: spotsOpen ?? 0,
    availabilityTag: availabilityTag ?? "",
    staffId: staffId ?? "",
    roomId: roomId ?? "",
    partySize: partySize ?? 0,
    confirmationMode: confirmationMode ?? "UNSPECIFIED",
    ...(recurrence ? { recurrence } : {}),
    exceptions,
  };
}
