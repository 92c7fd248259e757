-- The day of the psychotechnic test the doctor saw the certificate of,
-- before an opinion after an invalidation, an annulment or a suspension of
-- 6 months or more (C. route R224-21 al. 2); NULL when none was needed or
-- recorded. The exam registration of a comeback needs it (docs/exams.md).
ALTER TABLE medical_opinions ADD COLUMN psychotechnic_on DATE;
