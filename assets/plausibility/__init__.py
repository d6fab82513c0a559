"""Plausibility of deliveries: before/after lines and warnings (assess), kept per delivery
(store)."""

UNCHANGED = "Uændret: "  # the line counting the months a file replaces with the same sum
