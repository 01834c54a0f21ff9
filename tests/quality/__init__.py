"""Measured quality of the rule-based extractors on a hand-labelled set of Italian news sentences."""
