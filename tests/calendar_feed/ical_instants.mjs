// Reads one iCalendar document on stdin and prints its events as JSON, read by ical.js (the
// parser inside Thunderbird and Nextcloud): an independent second reader for the tests.
// Only the VTIMEZONEs in the document are registered, so a missing or wrong VTIMEZONE shows
// up as a wrong instant (the tests run Node with TZ=UTC).
import { readFileSync } from "node:fs";

import ICAL from "ical.js";

const text = readFileSync(0, "utf8");
const root = new ICAL.Component(ICAL.parse(text));
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    start_tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
  };
});
process.stdout.write(
  JSON.stringify({
    method: root.getFirstPropertyValue("method"),
    calname: root.getFirstPropertyValue("x-wr-calname"),
    timezones: root.getAllSubcomponents("vtimezone").map((c) => c.getFirstPropertyValue("tzid")),
    events,
  }),
);
