package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `permis import directory` keeps the good rows, lists the bad ones with
// their line and reason, and changes nothing the second time.
func TestImportDirectory(t *testing.T) {
	reg := newSQLiteRegister(t)
	file := filepath.Join(t.TempDir(), "medecins.csv")
	csv := "type;nom;adresse;code_postal;commune;latitude;longitude;horaires;numero_agrement;id\n" +
		"medecin;Dr Anne Vidal;3 rue Foch;34000;Montpellier;43,61;3,87;\"Mo-Fr 09:00-12:00; PH off\";MA-34-001;v1\n" +
		"medecin;Dr Luc Marty;8 rue Nationale;3400;Montpellier;43,61;3,87;Mo-Fr 09:00-12:00;MA-34-002;v2\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, 0, append([]string{"import", "directory"}, append(reg.flags, file)...)...)
	if !strings.Contains(r.stdout, "1 importée") && !strings.Contains(r.stdout, "1 importé") {
		t.Errorf("summary:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "ligne 3") || !strings.Contains(r.stdout, "code_postal") {
		t.Errorf("the bad row is not reported with its line and field:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "1 nouveaux") {
		t.Errorf("stored:\n%s", r.stdout)
	}
	r = mustRun(t, 0, append([]string{"import", "directory"}, append(reg.flags, file)...)...)
	if !strings.Contains(r.stdout, "0 nouveaux, 0 mis à jour, 1 inchangés") {
		t.Errorf("second import:\n%s", r.stdout)
	}
}
