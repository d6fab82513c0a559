"""What Dagster's tools load (workspace.yaml, ``dagster dev``, the daemon): the definitions
of the configured municipality list, else of the home of FOREBYG_HOME. Built at import, so
the commands, which build their own home's, import ``pipelines/graph.py`` instead."""

from pipelines.graph import ASSETS_DIR, build_definitions

__all__ = ["ASSETS_DIR", "build_definitions", "defs"]

defs = build_definitions()
