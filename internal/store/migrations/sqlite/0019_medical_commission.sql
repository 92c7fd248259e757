-- Medical fitness (issue 13): the approved doctors the préfet names to sit
-- in the commission médicale primaire (arrêté du 31 juillet 2012 art. 7).
ALTER TABLE doctor_approvals ADD COLUMN commission_member INTEGER NOT NULL DEFAULT 0;
