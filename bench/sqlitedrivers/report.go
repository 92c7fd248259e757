package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// report reads RESULT/INFO lines and prints a markdown table of medians, the
// runs behind each median, and any failures.
func report(files []string) error {
	type key struct{ metric, driver string }
	vals := map[key][]float64{}
	units := map[string]string{}
	var metrics []string
	drivers := []string{"modernc", "ncruces", "mattn"}
	versions := map[string]string{}
	var failures []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fs := strings.Split(sc.Text(), "\t")
			switch {
			case len(fs) == 5 && fs[0] == "INFO" && fs[3] == "sqlite_version":
				versions[fs[1]] = fs[4]
			case len(fs) == 6 && fs[0] == "RESULT":
				d, m, u := fs[1], fs[3], fs[5]
				if !slices.Contains(drivers, d) {
					drivers = append(drivers, d)
				}
				if m == "error" {
					failures = append(failures, fmt.Sprintf("%s run %s: %s", d, fs[2], u))
					continue
				}
				v, err := strconv.ParseFloat(fs[4], 64)
				if err != nil {
					return err
				}
				if !slices.Contains(metrics, m) {
					metrics = append(metrics, m)
				}
				units[m] = u
				vals[key{m, d}] = append(vals[key{m, d}], v)
			}
		}
		fh.Close()
	}
	slices.Sort(metrics) // "1a…", "1b…", …, "setup…" last
	head := "| workload | unit |"
	sep := "|---|---|"
	for _, d := range drivers {
		v := versions[d]
		if v != "" {
			v = " (SQLite " + v + ")"
		}
		head += " " + d + v + " |"
		sep += "---:|"
	}
	fmt.Println(head)
	fmt.Println(sep)
	for _, m := range metrics {
		line := "| " + m + " | " + units[m] + " |"
		for _, d := range drivers {
			vs := vals[key{m, d}]
			if len(vs) == 0 {
				line += " — |"
				continue
			}
			line += " " + thousands(median(vs)) + " |"
		}
		fmt.Println(line)
	}
	fmt.Println()
	fmt.Println("Runs behind each median (run 1 / 2 / 3):")
	fmt.Println()
	fmt.Println(strings.Replace(head, " | unit |", " |", 1))
	fmt.Println(strings.Replace(sep, "|---|---|", "|---|", 1))
	for _, m := range metrics {
		line := "| " + m + " |"
		for _, d := range drivers {
			var s []string
			for _, v := range vals[key{m, d}] {
				s = append(s, thousands(v))
			}
			line += " " + strings.Join(s, " / ") + " |"
		}
		fmt.Println(line)
	}
	if len(failures) > 0 {
		fmt.Println()
		fmt.Println("Failures:")
		for _, f := range failures {
			fmt.Println("- " + f)
		}
	}
	return nil
}

func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
