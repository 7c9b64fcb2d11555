"""Data in: terrain files, BAG, EP-online, kleinverbruik, survey, importer, demo.

Imports only :mod:`kansenkaart.core` (``tests/test_layers.py``).
"""
