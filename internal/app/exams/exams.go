// Package exams is the exams capability (issue 14) over app.Kernel: the
// approved operators' theory-test results (theory.go) and their API
// tokens (operators.go). The rules are package exam's; this package loads,
// checks who acts, applies them, saves and audits, each change in one
// transaction (docs/exams.md).
package exams

import (
	"permis/internal/app"
	"permis/internal/exam"
)

// Service is the exams' use cases.
type Service struct {
	k   app.Kernel
	cfg exam.Config
}

// New returns the exams' use cases over the kernel, with the figures cfg
// (exam.DefaultConfig() in force).
// It sets the application's hook by which a school's first-licence request
// finds its student's NEPH, so the CEPC (certificate.go).
func New(k app.Kernel, cfg exam.Config) *Service {
	s := &Service{k: k, cfg: cfg}
	k.OnStudentNEPH(s.studentNEPH)
	return s
}

// Config returns the figures the service applies.
func (s *Service) Config() exam.Config { return s.cfg }
