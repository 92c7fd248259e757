// Package mail sends the service's mails. Use cases never send a mail
// themselves: they write it to the outbox (Enqueue, in the transaction of the
// change that causes it), and a Relay delivers the outbox through a
// Transport, the SMTP one in production and a Recorder in tests.
//
// The store does not import this package; this package imports the store.
package mail

import (
	"context"
	"time"
)

// Message is one mail to one person.
type Message struct {
	To          string // one bare address: camille.durand@example.fr
	Subject     string // in French, accents allowed: they are encoded by the transport
	Text        string // the text/plain body, always present
	HTML        string // an optional text/html alternative of Text
	Attachments []Attachment

	// Date and MessageID are set by the Relay from the outbox row, so that a
	// mail sent twice (a relay that died between sending and recording it)
	// carries the same Message-ID and mail programs show it once. When they
	// are empty the transport uses the current time and a random id.
	Date      time.Time
	MessageID string // without angle brackets; without "@domain" the sender's domain is added
}

// Attachment is a file attached to a Message.
type Attachment struct {
	Filename    string // shown to the person: "convocation.pdf"
	ContentType string // with its parameters: "application/pdf", "text/calendar; method=REQUEST"
	Data        []byte
}

// Transport hands a message to a mail system. It is the process boundary
// of this package: SMTP in production, Recorder in tests.
type Transport interface {
	Send(ctx context.Context, m Message) error
}
