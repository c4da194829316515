"""Memory: SQLAlchemy models, repositories and migrations; no chat platform is imported here."""
