"""Pure functions, no spaCy: French numbers, sums of money, ISO dates, country names."""
