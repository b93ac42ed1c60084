import type { DescEnum } from "@bufbuild/protobuf";
import type { FieldViolation } from "../../contract/errors.js";
import { fieldLimits } from "./validation-limits.js";

/** How a text field is checked. */
export interface TextRule {
  required?: boolean;
  maxChars: number;
  /** Allows line breaks and tabs (free text such as `additional_request`). */
  multiline?: boolean;
}

// Descriptions never quote the offending value: it may be personal data and error messages travel.
const emailShape = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/u;
const telephoneChars = /^\+?[0-9 ().-]+$/;

/** True when `value` holds a C0 control character or DEL (line breaks and tabs allowed when multiline). */
function hasControlChar(value: string, multiline: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x7f || (code < 0x20 && !(multiline && (code === 0x09 || code === 0x0a || code === 0x0d)))) {
      return true;
    }
  }
  return false;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code >= 0x1680;
}

/** Counts code points, so a name of 40 letters outside the BMP is still 40 characters. */
function charCount(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/** Checks presence, length and control characters of a string field. */
export function checkText(out: FieldViolation[], field: string, value: string, rule: TextRule): void {
  // Cheap test first: this runs for every field of every slot of a lookup.
  if (value === "" || (isSpace(value.charCodeAt(0)) && value.trim() === "")) {
    if (rule.required) out.push({ field, description: "is required" });
    return;
  }
  if (value.length > rule.maxChars && charCount(value) > rule.maxChars) {
    out.push({ field, description: `must be at most ${rule.maxChars} characters` });
  }
  if (hasControlChar(value, rule.multiline ?? false)) {
    out.push({ field, description: "must not contain control characters" });
  }
}

/** Checks a `*_sec` timestamp: required when asked, and between 2000-01-01 and 2100-01-01 when set. */
export function checkEpochSec(out: FieldViolation[], field: string, value: bigint, required: boolean): void {
  if (value === 0n) {
    if (required) out.push({ field, description: "is required" });
    return;
  }
  if (value < fieldLimits.minStartSec || value >= fieldLimits.maxStartSec) {
    out.push({
      field,
      description: "must be seconds since the Unix epoch (UTC) between 2000-01-01 and 2100-01-01",
    });
  }
}

/** Checks a `duration_sec`: required when asked, and more than 0 and at most seven days when set. */
export function checkDurationSec(out: FieldViolation[], field: string, value: bigint, required: boolean): void {
  if (value === 0n) {
    if (required) out.push({ field, description: "is required and must be greater than 0" });
    return;
  }
  if (value < 0n || value > fieldLimits.maxDurationSec) {
    out.push({ field, description: `must be greater than 0 and at most ${fieldLimits.maxDurationSec} (7 days)` });
  }
}

/** Checks an optional `party_size`: 0 means not given; otherwise 1 to the maximum. */
export function checkPartySize(out: FieldViolation[], field: string, value: number): void {
  if (value < 0 || value > fieldLimits.maxPartySize) {
    out.push({ field, description: `must be between 1 and ${fieldLimits.maxPartySize} when given` });
  }
}

/** Checks an e-mail address (`name@domain.tld`). */
export function checkEmail(out: FieldViolation[], field: string, value: string, required: boolean): void {
  const before = out.length;
  checkText(out, field, value, { required, maxChars: fieldLimits.emailChars });
  if (out.length === before && value !== "" && !emailShape.test(value)) {
    out.push({ field, description: "must be an e-mail address such as name@example.com" });
  }
}

/** Checks an E.123-style telephone number: digits, spaces, a leading +, -, (, ) and dots; 5 to 20 digits. */
export function checkTelephone(out: FieldViolation[], field: string, value: string, required: boolean): void {
  const before = out.length;
  checkText(out, field, value, { required, maxChars: fieldLimits.telephoneChars });
  if (out.length > before || value === "") return;
  const digits = value.replace(/\D/g, "").length;
  if (
    !telephoneChars.test(value) ||
    digits < fieldLimits.telephoneMinDigits ||
    digits > fieldLimits.telephoneMaxDigits
  ) {
    out.push({
      field,
      description: `must be a telephone number of ${fieldLimits.telephoneMinDigits} to ${fieldLimits.telephoneMaxDigits} digits such as +1 415-736-0000 (digits, spaces, a leading +, -, parentheses, dots)`,
    });
  }
}

/** Checks that an enum field holds a value the contract defines (binary clients can send any number). */
export function checkEnum(out: FieldViolation[], field: string, value: number, schema: DescEnum): void {
  if (schema.value[value] === undefined) {
    out.push({ field, description: `must be one of ${schema.values.map((v) => v.name).join(", ")}` });
  }
}
