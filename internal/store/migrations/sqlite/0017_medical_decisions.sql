-- Medical fitness (issue 13, SQLite): the préfet's decision on an opinion,
-- recorded by an agent. NULL decision: the opinion awaits it.
ALTER TABLE medical_opinions ADD COLUMN decision TEXT CHECK (decision IN ('follow', 'depart'));
ALTER TABLE medical_opinions ADD COLUMN decided_on TEXT;
ALTER TABLE medical_opinions ADD COLUMN decided_by INTEGER REFERENCES users(id);
ALTER TABLE medical_opinions ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
CREATE INDEX medical_opinions_undecided ON medical_opinions(recorded_at) WHERE decision IS NULL;
