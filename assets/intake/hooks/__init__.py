"""Hook modules of extract kinds: code a kind needs beyond its metadata.

A kind's TOML names its hook (``hook = "assets.intake.hooks.budget"``). A hook module may
define ``finish(table, frame) -> frame`` (defaults and normalisations of one table, after
reading) and ``problems(file, tables, spec) -> list[Problem]`` (rules over the whole file).
"""
