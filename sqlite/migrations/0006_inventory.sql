-- Reserved for warehouse operations (issue 7): locations, stock ledger, ASNs, waves.
SELECT 1;
