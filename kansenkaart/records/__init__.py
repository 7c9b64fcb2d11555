"""Persistence: werksessie and workgroup records (SQLAlchemy + Alembic).

Imports :mod:`kansenkaart.core` and :mod:`kansenkaart.engine`
(``tests/test_layers.py``).
"""
