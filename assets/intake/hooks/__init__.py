"""Hook modules of extract kinds: code a kind needs beyond its metadata.

A kind's TOML names its hook (``hook = "assets.intake.hooks.budget"``). A hook module may
define ``finish(table, frame) -> frame`` (defaults and normalisations of one table, after
reading), ``problems(file, tables, spec) -> list[Problem]`` (rules over the whole file),
and, for a wide layout with one amount column per year or category, ``wide(table, key)``
(a folded header → a tag, or None), ``WIDE_FIELDS`` (the fields such columns give, for
recognition) and ``melt(table, frame, columns) -> frame`` (one row per filled cell; see
``budget.py``).
"""
