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
    // The server applies the availability rule (blocks, calendar busy time, spots, past, withdrawn), the
    // same one RescheduleBooking applies; the page keeps only the slots this booking can move to.
    const found: Slot[] = [];
    let pageToken = "";
    do {
      const page = await client.listSlots({
        merchantId: booking.merchantId,
        serviceId: booking.serviceId,
        startSecMin: BigInt(zonedSec(day, 0, timeZone)),
        startSecMax: BigInt(zonedSec(addDays(day, 1), 0, timeZone)),
        availableOnly: true,
        pageSize: 1000,
        pageToken,
      });
      found.push(...page.slots);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return found.filter(
      (slot) =>
        slot.staffId === booking.staffId &&
        slot.roomId === booking.roomId &&
        (slot.partySize === booking.partySize || slot.partySize === 0) &&
        !(slot.startSec === booking.startSec && slot.durationSec === booking.durationSec),
    );
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
