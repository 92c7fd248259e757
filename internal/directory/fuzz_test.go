package directory

import (
	"strings"
	"testing"
)

// checkImport is what must hold for any input: no panic, counts that add
// up, every entry kept valid, every refusal explained.
func checkImport(t *testing.T, imp Import, err error) {
	if err != nil {
		return
	}
	r := imp.Report
	if r.Read != r.Imported+r.Refused || len(imp.Entries) != r.Imported {
		t.Fatalf("counts: %s, %d entries", r.Summary(), len(imp.Entries))
	}
	for _, e := range imp.Entries {
		if ps := e.Problems(); len(ps) > 0 {
			t.Fatalf("kept an entry with problems %v", ps)
		}
	}
	refusals := 0
	for _, p := range r.Problems {
		if !p.Warning {
			refusals++
		}
	}
	if r.Refused > refusals {
		t.Fatalf("%d refused rows, %d reasons", r.Refused, refusals)
	}
}

func FuzzImportCSV(f *testing.F) {
	f.Add(csvHeader + `photographe,Studio A,1 rue A,34000,Montpellier,43.61,3.87,"Tu-Sa 09:00-12:00; PH off",EPH-1,a` + "\n")
	f.Add("type;nom;adresse;code_postal;commune\ncabine;\"A;B\";1 rue;34000;Sète\n;;;;\n")
	f.Add("\uFEFFtype\tnom\tadresse\tcode_postal\tcommune\tlatitude\nmedecin\tDr\t1\t3400\tX\t4,5\n")
	f.Add(csvHeader + `photographe,"Studio B,1 rue B` + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		imp, err := ImportCSV(strings.NewReader(in), Options{Source: "fuzz"})
		checkImport(t, imp, err)
	})
}

func FuzzImportMediation(f *testing.F) {
	f.Add(`[{"id":"1","nom":"A","adresse":"1 rue A","code_postal":"34000","commune":"Montpellier","latitude":43.6,"longitude":3.8}]`)
	f.Add(`[{"nom":{"x":1}},"s",null,{"typologie":["RFS",2]},{"courriels":["a@b.c"],"horaires":"Mo 10:00"}]`)
	f.Add(`[{"id":"1"} {"id":"2"}]`)
	f.Fuzz(func(t *testing.T, in string) {
		imp, err := ImportMediation(strings.NewReader(in), Options{Source: "fuzz"})
		checkImport(t, imp, err)
	})
}
