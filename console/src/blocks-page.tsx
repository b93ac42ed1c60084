import { useRef, useState } from "preact/hooks";
import type { Block } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { useConsole } from "./console-context.js";
import { navigate } from "./route.js";
import {
  addDays,
  dateTimeLabel,
  dayLabel,
  longDayLabel,
  minutesLabel,
  parseTime,
  timeLabel,
  today,
  weekStart,
  zonedSec,
} from "./time.js";
import { ErrorNotice, Loaded } from "./ui.js";
import { useAction, useInterval, useLoad } from "./use-load.js";

/** The hours the grid shows; the form takes any time. */
const firstHour = 6;
const lastHour = 22;
const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);

interface Pick {
  day: string;
  from: number;
  to: number;
}

/** Manual blocks of the merchant on a week grid: drag (or pick, then shift-pick) hours to block, remove in the list. */
export function BlocksPage({ params }: { params: URLSearchParams }) {
  const { client, merchant, timeZone, pollMs } = useConsole();
  const date = params.get("date") || today(timeZone);
  const monday = weekStart(date);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const weekFrom = zonedSec(monday, 0, timeZone);
  const weekTo = zonedSec(addDays(monday, 7), 0, timeZone);

  const [form, setForm] = useState({
    day: days[0] ?? monday,
    from: "",
    to: "",
    kind: "merchant",
    resource: "",
    note: "",
  });
  const [outcome, setOutcome] = useState("");
  const drag = useRef<{ day: string; anchor: number } | undefined>(undefined);
  const action = useAction();

  const blocks = useLoad(async () => {
    const found: Block[] = [];
    let pageToken = "";
    do {
      const page = await client.listBlocks({ merchantId: merchant.merchantId, pageSize: 1000, pageToken });
      found.push(...page.blocks);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return found.filter((b) => Number(b.startSec) < weekTo && Number(b.endSec) > weekFrom);
  }, [client, merchant.merchantId, weekFrom, weekTo]);
  useInterval(() => {
    if (!blocks.loading && !action.busy) blocks.reload();
  }, pollMs);

  const choose = (pick: Pick) =>
    setForm((f) => ({ ...f, day: pick.day, from: minutesLabel(pick.from * 60), to: minutesLabel(pick.to * 60) }));
  const extendTo = (day: string, hour: number) => {
    const current = drag.current;
    if (!current || current.day !== day) return;
    choose({ day, from: Math.min(current.anchor, hour), to: Math.max(current.anchor, hour) + 1 });
  };
  const cellAt = (x: number, y: number) => {
    const cell = document.elementFromPoint(x, y)?.closest<HTMLElement>("[data-hour]");
    return cell ? { day: cell.dataset.day ?? "", hour: Number(cell.dataset.hour) } : undefined;
  };

  const fromMinutes = parseTime(form.from);
  const toMinutes = parseTime(form.to);
  const picked = (day: string, hour: number) =>
    form.day === day &&
    fromMinutes !== undefined &&
    toMinutes !== undefined &&
    hour * 60 < toMinutes &&
    (hour + 1) * 60 > fromMinutes;
  const blockAt = (day: string, hour: number, found: Block[]) => {
    const start = zonedSec(day, hour * 60, timeZone);
    const end = zonedSec(day, (hour + 1) * 60, timeZone);
    return found.find((b) => Number(b.startSec) < end && Number(b.endSec) > start);
  };

  const add = (event: Event) => {
    event.preventDefault();
    if (fromMinutes === undefined || toMinutes === undefined || toMinutes <= fromMinutes) {
      action.setError(new Error("Pick a start and an end later than the start."));
      return;
    }
    const startSec = zonedSec(form.day, fromMinutes, timeZone);
    const endSec = zonedSec(form.day, toMinutes, timeZone);
    void action.run(async () => {
      setOutcome("");
      await client.addBlock({
        block: {
          merchantId: merchant.merchantId,
          resourceKind: form.kind,
          resourceId: form.kind === "merchant" ? "" : form.resource.trim(),
          startSec: BigInt(startSec),
          endSec: BigInt(endSec),
          note: form.note,
        },
      });
      setOutcome(`Blocked ${longDayLabel(form.day)}, ${form.from}–${form.to}.`);
      setForm((f) => ({ ...f, from: "", to: "", note: "" }));
      blocks.reload();
    });
  };
  const remove = (block: Block) =>
    action.run(async () => {
      setOutcome("");
      await client.removeBlock({ blockId: block.blockId });
      setOutcome(`Removed the block of ${dateTimeLabel(Number(block.startSec), timeZone)}.`);
      blocks.reload();
    });

  return (
    <section aria-labelledby="blocks-title">
      <h1 id="blocks-title">Blocked time — week of {longDayLabel(monday)}</h1>
      <div class="toolbar">
        <fieldset class="segmented">
          <legend class="visually-hidden">Move in time</legend>
          <button type="button" onClick={() => navigate("/blocks", { date: addDays(monday, -7) })}>
            Previous week
          </button>
          <button type="button" onClick={() => navigate("/blocks", { date: today(timeZone) })}>
            This week
          </button>
          <button type="button" onClick={() => navigate("/blocks", { date: addDays(monday, 7) })}>
            Next week
          </button>
        </fieldset>
      </div>
      <p class="hint" id="grid-hint">
        Drag over hours to block them, or pick an hour and shift-pick another on the same day; then add the block below.
        Times are in {timeZone}.
      </p>
      <Loaded load={blocks} what="blocks">
        {(found) => (
          <div class="table-scroll">
            <table
              class="week-grid"
              aria-describedby="grid-hint"
              onPointerMove={(e) => {
                const cell = drag.current ? cellAt(e.clientX, e.clientY) : undefined;
                if (cell) extendTo(cell.day, cell.hour);
              }}
              onPointerUp={() => {
                drag.current = undefined;
              }}
              onPointerLeave={() => {
                drag.current = undefined;
              }}
            >
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">Hour</span>
                  </th>
                  {days.map((day) => (
                    <th scope="col" key={day}>
                      {dayLabel(day)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {hours.map((hour) => (
                  <tr key={hour}>
                    <th scope="row">{minutesLabel(hour * 60)}</th>
                    {days.map((day) => {
                      const block = blockAt(day, hour, found);
                      const label = `${dayLabel(day)} ${minutesLabel(hour * 60)} to ${minutesLabel((hour + 1) * 60)}${
                        block ? `, blocked${block.note ? `: ${block.note}` : ""}` : ", open"
                      }`;
                      return (
                        <td key={day} class={block ? "blocked" : undefined}>
                          <button
                            type="button"
                            class={picked(day, hour) ? "cell picked" : "cell"}
                            data-day={day}
                            data-hour={hour}
                            aria-label={label}
                            aria-pressed={picked(day, hour)}
                            onPointerDown={(e) => {
                              if (
                                e.shiftKey &&
                                drag.current === undefined &&
                                form.day === day &&
                                fromMinutes !== undefined
                              ) {
                                const anchor = Math.floor(fromMinutes / 60);
                                choose({ day, from: Math.min(anchor, hour), to: Math.max(anchor, hour) + 1 });
                                return;
                              }
                              drag.current = { day, anchor: hour };
                              choose({ day, from: hour, to: hour + 1 });
                            }}
                            onClick={(e) => {
                              // Keyboard activation (detail 0): Enter picks, Shift+Enter extends on the same day.
                              if (e.detail !== 0) return;
                              if (e.shiftKey && form.day === day && fromMinutes !== undefined) {
                                const anchor = Math.floor(fromMinutes / 60);
                                choose({ day, from: Math.min(anchor, hour), to: Math.max(anchor, hour) + 1 });
                              } else choose({ day, from: hour, to: hour + 1 });
                            }}
                          >
                            {block ? block.note || "Blocked" : ""}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <form class="panel block-form" onSubmit={add} aria-labelledby="add-block-title">
        <h2 id="add-block-title">Add a block</h2>
        <div class="fields">
          <label>
            <span>Day</span>
            <input
              type="date"
              required
              value={form.day}
              onChange={(e) => setForm((f) => ({ ...f, day: e.currentTarget.value }))}
            />
          </label>
          <label>
            <span>From</span>
            <input
              type="time"
              required
              value={form.from}
              onInput={(e) => setForm((f) => ({ ...f, from: e.currentTarget.value }))}
            />
          </label>
          <label>
            <span>To</span>
            <input
              type="time"
              required
              value={form.to}
              onInput={(e) => setForm((f) => ({ ...f, to: e.currentTarget.value }))}
            />
          </label>
          <label>
            <span>Who is away</span>
            <select value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.currentTarget.value }))}>
              <option value="merchant">Everyone (whole merchant)</option>
              <option value="staff">One staff member</option>
              <option value="room">One room</option>
            </select>
          </label>
          {form.kind !== "merchant" ? (
            <label>
              <span>{form.kind === "staff" ? "Staff id" : "Room id"}</span>
              <input
                required
                value={form.resource}
                onInput={(e) => setForm((f) => ({ ...f, resource: e.currentTarget.value }))}
              />
            </label>
          ) : null}
          <label class="grow">
            <span>Note</span>
            <input value={form.note} onInput={(e) => setForm((f) => ({ ...f, note: e.currentTarget.value }))} />
          </label>
        </div>
        <button type="submit" class="primary" disabled={action.busy}>
          Add block
        </button>
      </form>
      <p class="outcome" role="status">
        {outcome}
      </p>
      {action.error ? <ErrorNotice error={action.error} /> : null}
      <h2>Blocks this week</h2>
      {blocks.data && blocks.data.length === 0 ? <p class="empty">No blocks this week.</p> : null}
      <ul class="block-list">
        {(blocks.data ?? []).map((block) => (
          <li key={block.blockId}>
            <span>
              {dateTimeLabel(Number(block.startSec), timeZone)}–{timeLabel(Number(block.endSec), timeZone)},{" "}
              {block.resourceKind === "merchant" ? "everyone" : `${block.resourceKind} ${block.resourceId}`}
              {block.note ? ` — ${block.note}` : ""}
            </span>
            <button
              type="button"
              disabled={action.busy}
              aria-label={`Remove the block of ${dateTimeLabel(Number(block.startSec), timeZone)}${block.note ? ` (${block.note})` : ""}`}
              onClick={() => remove(block)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
