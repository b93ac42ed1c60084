import { useState } from "preact/hooks";
import type { Booking, Slot } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { useConsole } from "./console-context.js";
import { addDays, localDateOf, timeLabel, zonedSec } from "./time.js";
import { Loaded } from "./ui.js";
import { useLoad } from "./use-load.js";

/** Free slots of the booking's service, staff and room on a chosen day, to move the booking to. */
export function RescheduleForm(props: {
  booking: Booking;
  busy: boolean;
  onPick: (slot: Slot) => void;
  onClose: () => void;
}) {
  const { booking, busy, onPick, onClose } = props;
  const { client, timeZone } = useConsole();
  const [day, setDay] = useState(() => localDateOf(Number(booking.startSec), timeZone));
  const [chosen, setChosen] = useState("");
  const free = useLoad(async () => {
    const from = zonedSec(day, 0, timeZone);
    const to = zonedSec(addDays(day, 1), 0, timeZone);
    const [slots, blocks] = await Promise.all([
      client.listSlots({
        merchantId: booking.merchantId,
        serviceId: booking.serviceId,
        startSecMin: BigInt(from),
        startSecMax: BigInt(to),
        pageSize: 1000,
      }),
      client.listBlocks({ merchantId: booking.merchantId, pageSize: 1000 }),
    ]);
    const nowSec = Date.now() / 1000;
    return slots.slots.filter((slot) => {
      const start = Number(slot.startSec);
      const end = start + Number(slot.durationSec);
      const blocked = blocks.blocks.some(
        (block) =>
          Number(block.startSec) < end &&
          Number(block.endSec) > start &&
          (block.resourceKind === "merchant" ||
            (block.resourceKind === "staff" && block.resourceId === slot.staffId) ||
            (block.resourceKind === "room" && block.resourceId === slot.roomId)),
      );
      return (
        !slot.withdrawn &&
        !blocked &&
        start > nowSec &&
        slot.staffId === booking.staffId &&
        slot.roomId === booking.roomId &&
        (slot.partySize === booking.partySize || slot.partySize === 0) &&
        slot.spotsTotal - slot.spotsBooked - slot.spotsExternal > 0 &&
        !(slot.startSec === booking.startSec && slot.durationSec === booking.durationSec)
      );
    });
  }, [client, booking.bookingId, day, timeZone]);

  const keyOf = (slot: Slot) => `${slot.startSec}-${slot.durationSec}`;
  return (
    <form
      class="panel"
      onSubmit={(e) => {
        e.preventDefault();
        const slot = free.data?.find((s) => keyOf(s) === chosen);
        if (slot) onPick(slot);
      }}
    >
      <h2>Move to another time</h2>
      <label for="reschedule-day">Day</label>
      <input
        id="reschedule-day"
        type="date"
        value={day}
        onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)}
      />
      <Loaded load={free} what="free times">
        {(slots) =>
          slots.length === 0 ? (
            <p class="empty">
              No free time that day for this service{booking.staffId ? ` with ${booking.staffId}` : ""}.
            </p>
          ) : (
            <fieldset class="slots">
              <legend>Free times</legend>
              {slots.map((slot) => (
                <label key={keyOf(slot)} class="slot-choice">
                  <input
                    type="radio"
                    name="slot"
                    value={keyOf(slot)}
                    checked={chosen === keyOf(slot)}
                    onChange={() => setChosen(keyOf(slot))}
                  />
                  {timeLabel(Number(slot.startSec), timeZone)}–
                  {timeLabel(Number(slot.startSec + slot.durationSec), timeZone)} (
                  {slot.spotsTotal - slot.spotsBooked - slot.spotsExternal} free)
                </label>
              ))}
            </fieldset>
          )
        }
      </Loaded>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !chosen}>
          Move booking
        </button>
        <button type="button" onClick={onClose}>
          Keep the time
        </button>
      </div>
    </form>
  );
}
