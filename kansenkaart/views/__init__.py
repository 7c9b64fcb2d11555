"""Presentation: maps, charts, legends, colours, the Mijn pand report and exports.

Imports :mod:`kansenkaart.core`, :mod:`kansenkaart.engine` and
:mod:`kansenkaart.records`; never :mod:`kansenkaart.io` (``tests/test_layers.py``).
"""
