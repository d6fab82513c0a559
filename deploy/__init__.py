"""The deployment files (Dagster's production instance, systemd units, nginx, containers,
Kubernetes), shipped in the package so an installed forebyg has them without a checkout
(docs/drift.md)."""
