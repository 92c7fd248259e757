-- 0022: a signed document of a person who holds no licence (the CEPC of a
-- candidat libre, issue 14): it names the NEPH of their accepted exam
-- registration instead of a licence. Every document names one or the other.
ALTER TABLE statements ALTER COLUMN licence_id DROP NOT NULL;
ALTER TABLE statements ADD COLUMN neph TEXT;
ALTER TABLE statements ADD CONSTRAINT statements_holder CHECK (licence_id IS NOT NULL OR neph IS NOT NULL);
