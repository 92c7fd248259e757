// Package exam is the domain of the driving-licence exams (REFERENCE §15):
// who may register and with which documents (registration.go), the way
// back to a licence after an invalidation or an annulment (comeback.go),
// the validity of a theory pass (theory.go), what a practical-exam booking
// needs and when a candidate is blocked (booking.go), and the exam
// certificate's validity (certificate.go). It does no I/O; today's date is
// always a parameter, and every figure the law may change is in Config.
// docs/exams.md gives each rule with its source.
package exam
