"""The sample data home's files (a fictitious municipality), shipped in the package so
``forebyg demo`` works from an installed forebyg without a checkout; ``generate.py``
writes them (fixed seed)."""
