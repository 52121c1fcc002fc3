"""Adapters at the edge: memory store, SQL (SQLAlchemy), serde (marshmallow), ledgers (Excel/CSV)."""
