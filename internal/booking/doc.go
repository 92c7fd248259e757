// Package booking holds the rules of appointments at help points
// (préfecture and sous-préfecture points numériques, France Services):
// the help points and their kinds of appointment, slot generation from the
// OpenStreetMap opening_hours of a help point, the figures of the booking
// rules (Config), the validation of what a person types, and the states of
// an appointment and of a waiting-list entry. It does no I/O: the store
// persists these types, the application layer (internal/app) runs the use
// cases.
//
// # Slots and seats
//
// A slot is a start and an end on a day when the help point is open: its
// opening hours (internal/openinghours, public holidays of its département
// included) minus its closures, cut into pieces of the kind's duration from
// the start of each open interval (rounded up to the Grain). Each slot has
// one seat per agent on duty. The store enforces "one seat, one person" by a
// primary key on (help point, instant, seat) over every Grain-long cell an
// appointment covers (Cells), so that two appointments of different lengths
// can never overlap on one seat, whatever the races; see docs/appointments.md.
//
// # Time
//
// Slots are real instants, shown in Europe/Paris. On the days the clocks
// change, slots follow the real timeline inside each open interval: an
// interval 01:00-04:00 on the last Sunday of March lasts two hours and holds
// two hours of slots (01:00, 01:30, 03:00, 03:30 for 30 minutes), on the last
// Sunday of October it lasts four hours (02:00 and 02:30 appear twice, once
// in summer time and once in winter time).
package booking
