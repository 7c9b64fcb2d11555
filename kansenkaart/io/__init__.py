"""Data in: terrain files, BAG, EP-online, kleinverbruik, survey, importer, demo.

Imports only :mod:`kansenkaart.core`.
"""
