"""Housing (二.1): units, eligibility, lottery and waitlists, youth-station stays, subsidies,
the talent ledger."""
