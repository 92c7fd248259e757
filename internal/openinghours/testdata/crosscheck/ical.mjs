// Reads the appointment invitations (internal/ical/testdata/*.ics, the
// golden files of package ical) with ical.js, an independent iCalendar
// parser, and checks what a calendar would take from them: the method, one
// event with UID, SEQUENCE, a start before the end in Europe/Paris resolved
// through the file's own VTIMEZONE, an ORGANIZER and the STATUS. Exits 1 on
// any problem. Usage: node ical.mjs FILE.ics…
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

let bad = 0;
for (const file of process.argv.slice(2)) {
  const fail = (msg) => { console.log(`${file}: ${msg}`); bad++; };
  try {
    const cal = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
    const method = cal.getFirstPropertyValue("method");
    const tz = cal.getFirstSubcomponent("vtimezone");
    if (!tz) { fail("no VTIMEZONE"); continue; }
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    const events = cal.getAllSubcomponents("vevent");
    if (events.length !== 1) { fail(`${events.length} events`); continue; }
    const ev = new ICAL.Event(events[0]);
    const start = ev.startDate, end = ev.endDate;
    if (!ev.uid) fail("no UID");
    if (events[0].getFirstPropertyValue("sequence") === null) fail("no SEQUENCE");
    if (start.zone.tzid !== "Europe/Paris") fail(`start zone ${start.zone.tzid}`);
    if (start.compare(end) >= 0) fail("start is not before end");
    const org = events[0].getFirstProperty("organizer");
    if (!org || !String(org.getFirstValue()).startsWith("mailto:")) fail("no ORGANIZER mailto:");
    const status = events[0].getFirstPropertyValue("status");
    if ((method === "CANCEL") !== (status === "CANCELLED")) fail(`method ${method} with status ${status}`);
    console.log(`${file}: ${method} ${ev.uid} seq ${events[0].getFirstPropertyValue("sequence")}, ` +
      `${start.toString()} ${start.zone.tzid} = ${start.toJSDate().toISOString()}, organizer ${org && org.getParameter("cn")}`);
  } catch (e) {
    fail(`unreadable: ${e}`);
  }
}
process.exit(bad > 0 ? 1 : 0);
