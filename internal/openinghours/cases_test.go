package openinghours

// validCases are values the parser must accept; the fuzz test starts from
// them.
var validCases = []string{
	"Mo-Fr 08:30-12:00,13:30-16:30; PH off",
	"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00",
	"24/7",
	"Mo-Sa 10:00-20:00; Aug off",
	"Dec 24 09:00-12:00",
	"Fr 22:00-02:00",
	`Mo-Fr 09:00-17:00 || "sur rendez-vous"`,
	"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
	"2026 Dec 24-2027 Jan 02 off",
	"Dec 24,26 off",
	"week 01-53/2 Mo 10:00-12:00",
	"PH Mo-Fr 10:00-12:00",
	"Jan-Jun: Mo 10:00-12:00",
	"mo-fr 9:00-12:00",
	"Mo–Fr 09:00 – 12:00",
	"Mo[1-2,-1] 10:00-12:00",
	"2026,2028 Jan",
	"Mo 10:00-12:00;",
	"10:00-12:00, 14:00-16:00",
	"Mo 10:00-12:00, Tu 14:00-16:00",
	`Mo-Fr 09:00-18:00; We 12:00-14:00 off "réunion d'équipe"`,
	`Su,PH off; Mo-Sa 09:00-12:00 open "accueil"`,
	"Nov-Feb Mo-Fr 10:00-16:00; Mar-Oct Mo-Fr 09:00-18:00",
	"Sa-Mo 01:00-26:00",
	"2026-2027 Jul-Aug Tu 09:00-12:00",
	`unknown "fermé pour travaux"`,
	"off",
	"open",
}
