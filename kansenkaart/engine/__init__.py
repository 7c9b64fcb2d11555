"""Computation: energy, solar, obligations, measures, coupling, grid, the analysis.

Pure functions on tables; imports only :mod:`kansenkaart.core`
(``tests/test_layers.py``).
"""
