"""Events (二.2, 三.1–三.4): activities, registrations with capacity and waitlist, venues,
stories."""
