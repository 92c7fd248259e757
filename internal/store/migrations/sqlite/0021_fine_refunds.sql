-- The refunds due (a deposit after a dismissal or an acquittal, a payment
-- that lost the race to a contest), found by the hourly refund step.
CREATE INDEX fine_payments_refund_due ON fine_payments(id) WHERE state = 'refund_due';
