-- Reserved for the anti-theft guard (issue 6): quotas, alerts, canaries.
SELECT 1;
