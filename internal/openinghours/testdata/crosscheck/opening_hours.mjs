// Checks ../corpus.txt against opening_hours.js, the reference implementation
// of the OSM opening_hours syntax. Run with TZ=Europe/Paris (make crosscheck
// does): instants are Paris wall-clock times. Prints each disagreement; a
// value annotated "  ! js: reason" in the corpus is a known, deliberate one.
// Exits 1 when an unannotated disagreement is found.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const OpeningHours = require("opening_hours");

if (new Date(2026, 6, 1).getTimezoneOffset() !== -120) {
  console.error("run with TZ=Europe/Paris");
  process.exit(2);
}
const nominatim = { lat: 48.8566, lon: 2.3522, address: { country_code: "fr", state: "Île-de-France" } };
const lines = readFileSync(new URL("../corpus.txt", import.meta.url), "utf8").split("\n");
let value = null, oh = null, known = null, checked = 0, bad = 0, expected = 0;
for (const line of lines) {
  if (line.startsWith("#") || line.trim() === "") continue;
  if (!line.startsWith(" ")) {
    value = line; known = null;
    try { oh = new OpeningHours(value, nominatim); } catch (e) { oh = null; console.log(`${value}: refused by opening_hours.js: ${e}`); bad++; }
    continue;
  }
  const t = line.trim();
  if (t.startsWith("! js:")) { known = t; continue; }
  if (!oh) continue;
  const [at, want] = t.split(" ");
  const [d, hm] = at.split("T");
  const [y, mo, da] = d.split("-").map(Number);
  const [h, mi] = hm.split(":").map(Number);
  const date = new Date(y, mo - 1, da, h, mi);
  const got = oh.getUnknown(date) ? "unknown" : oh.getState(date) ? "open" : "closed";
  checked++;
  if (got !== want) {
    if (known) { expected++; console.log(`known: ${value} at ${at}: opening_hours.js ${got}, ours ${want} (${known})`); }
    else { bad++; console.log(`DIFFERS: ${value} at ${at}: opening_hours.js ${got}, corpus ${want}`); }
  }
}
console.log(`${checked} instants checked, ${expected} known differences, ${bad} unexplained`);
process.exit(bad > 0 ? 1 : 0);
