package mail

import (
	"context"
	"slices"
	"sync"
)

// Recorder is a Transport for tests: it keeps the messages it is given
// instead of sending them. It is safe for concurrent use; its zero value is
// ready.
type Recorder struct {
	mu   sync.Mutex
	msgs []Message
	err  error
}

// Send records m, or returns the error set by FailWith (then nothing is
// recorded), or ctx's error.
func (r *Recorder) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	m.Attachments = slices.Clone(m.Attachments)
	for i := range m.Attachments {
		m.Attachments[i].Data = slices.Clone(m.Attachments[i].Data)
	}
	r.msgs = append(r.msgs, m)
	return nil
}

// Messages returns a copy of the messages recorded so far, in order.
func (r *Recorder) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}

// To returns the messages recorded for one address, in order.
func (r *Recorder) To(addr string) []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Message
	for _, m := range r.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// FailWith makes every later Send fail with err, as an unreachable server
// would; FailWith(nil) makes them succeed again.
func (r *Recorder) FailWith(err error) {
	r.mu.Lock()
	r.err = err
	r.mu.Unlock()
}

// Reset forgets the recorded messages.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.msgs = nil
	r.mu.Unlock()
}
