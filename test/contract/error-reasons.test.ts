import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { reasonOf, rpcError } from "../../src/contract/errors.js";

const withReason = (reason: string) =>
  new ConnectError("failed", Code.Internal, undefined, [
    { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason, domain: "elsewhere" }) },
  ]);

describe("the reason of an error", () => {
  it("is the registered reason this server put in its ErrorInfo", () => {
    expect(reasonOf(rpcError("BODY_TOO_LARGE", "too large"))).toBe("BODY_TOO_LARGE");
  });

  it.each(["constructor", "toString", "__proto__", "NOT_A_REASON"])(
    "is none for an ErrorInfo reason the server never registered (%s)",
    (reason) => {
      expect(reasonOf(withReason(reason))).toBeUndefined();
    },
  );
});
