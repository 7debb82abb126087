-- Reserved for waybills (issue 5): carriers, number ranges, shipments, virtual numbers.
SELECT 1;
