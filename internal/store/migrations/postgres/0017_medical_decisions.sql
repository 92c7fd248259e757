-- Medical fitness (issue 13, PostgreSQL): the préfet's decision on an
-- opinion, recorded by an agent. NULL decision: the opinion awaits it.
ALTER TABLE medical_opinions ADD COLUMN decision TEXT CHECK (decision IN ('follow', 'depart'));
ALTER TABLE medical_opinions ADD COLUMN decided_on DATE;
ALTER TABLE medical_opinions ADD COLUMN decided_by BIGINT REFERENCES users(id);
ALTER TABLE medical_opinions ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
CREATE INDEX medical_opinions_undecided ON medical_opinions(recorded_at) WHERE decision IS NULL;
