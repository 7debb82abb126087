-- Four eyes for carriers: configuring a carrier (the key its manifests are
-- encrypted to, the account that resolves virtual numbers for it) is an
-- approval of kind 'carrier', applied only after a second person approves.

ALTER TABLE approvals DROP CONSTRAINT approvals_kind_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_kind_check CHECK (kind IN ('role', 'shift', 'token', 'reenable', 'carrier'));
