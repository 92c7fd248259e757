package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"permis/internal/jsondoc"
)

// runContract is the shape every public JSON contract of the command line
// shares (`contest evaluate`, `medical route`): one optional argument, a
// file or - for standard input; answer reads the document and writes the
// answer. A problem with the document (*jsondoc.InputError) exits 2 with its
// one French line naming the field; nothing reaches stdout unless the
// whole answer is ready.
func runContract(e *env, name, usage string, args []string, answer func(in io.Reader, out io.Writer) error) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErr("usage : permis " + name + " [FICHIER|-]")
	}
	in := e.stdin
	if file := fs.Arg(0); file != "" && file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	var out bytes.Buffer
	if err := answer(in, &out); err != nil {
		var ie *jsondoc.InputError
		if errors.As(err, &ie) {
			return inputErr(ie.Error())
		}
		return err
	}
	_, err := io.Copy(e.stdout, &out)
	return err
}
