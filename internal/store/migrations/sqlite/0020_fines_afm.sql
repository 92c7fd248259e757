-- An unpaid notice increased of right (CPP 529-2 al. 2) keeps its first
-- sending; increased_on is the day the AFM was sent, from which a
-- réclamation's delay runs (CPP 530).
ALTER TABLE fine_notices ADD COLUMN increased_on TEXT;
