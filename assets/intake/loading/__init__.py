"""Loading an accepted extract into the run's raw tables, reconciled to the øre, or the
file's rejection; duplicates of the file in force, and the schema rules as SQL."""
