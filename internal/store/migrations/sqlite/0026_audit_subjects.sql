-- Nothing to do on SQLite: the read audits live in their own file, whose
-- subject index is already built behind the log (permis-audit-index.db);
-- the register's audit_log holds the changes' entries only, and keeps its
-- index (PostgreSQL's 0026 moves its subject index behind the log).
SELECT 1;
