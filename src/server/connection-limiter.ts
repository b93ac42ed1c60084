import type { Socket } from "node:net";

/** Counts open connections per remote address. */
export interface ConnectionLimiter {
  /** Counts the socket in (until it closes) and returns true, or returns false when its peer is at the limit. */
  open(socket: Socket): boolean;
  /** True the first time a peer is refused since it was last under the limit: log once, not per connection. */
  firstRefusal(socket: Socket): boolean;
}

/**
 * Creates a per-peer connection limiter. One client cannot hold every file descriptor and stream slot
 * of the process; a load balancer in front that pools connections stays far below the limit.
 */
export function createConnectionLimiter(maxPerPeer: number): ConnectionLimiter {
  const open = new Map<string, number>();
  const refused = new Set<string>();
  return {
    open(socket) {
      const peer = socket.remoteAddress ?? "";
      const count = open.get(peer) ?? 0;
      if (count >= maxPerPeer) return false;
      open.set(peer, count + 1);
      socket.once("close", () => {
        const left = (open.get(peer) ?? 1) - 1;
        if (left > 0) open.set(peer, left);
        else open.delete(peer);
        if (left < maxPerPeer) refused.delete(peer);
      });
      return true;
    },
    firstRefusal(socket) {
      const peer = socket.remoteAddress ?? "";
      if (refused.has(peer)) return false;
      refused.add(peer);
      return true;
    },
  };
}
