/**
 * Freezes a message and everything in it (nested messages, lists, maps, oneof cases), so that it can be
 * shared between calls: the REST writer keeps the JSON text of a frozen message instead of writing it
 * again. Byte fields stay as they are (a typed array with elements cannot be frozen); never change one.
 */
export function freezeMessage<T extends object>(message: T): Readonly<T> {
  freezeAll(message);
  return message;
}

function freezeAll(value: unknown): void {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return;
  for (const inner of Object.values(value)) freezeAll(inner);
  Object.freeze(value);
}
