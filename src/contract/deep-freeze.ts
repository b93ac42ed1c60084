/**
 * Freezes a value and everything in it (nested objects and lists; a message's nested messages, maps
 * and oneof cases), so that it can be shared between calls: the listing cache's bookings, and the
 * answers built from them, whose JSON text and bytes the writers keep. A part already frozen is taken
 * as frozen through. Typed arrays (byte fields) stay as they are: one with elements cannot be frozen;
 * never change one.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
