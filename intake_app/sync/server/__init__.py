"""The sync server: FastAPI on SQLAlchemy 2; SQLite by default, PostgreSQL (psycopg 3) by URL."""
