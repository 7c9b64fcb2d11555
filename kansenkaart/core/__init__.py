"""Shared foundation: errors, terrain model, schemas, CRS, assumptions, Dutch text.

Every other layer may import from here; this package imports no other layer
(``tests/test_layers.py``).
"""
