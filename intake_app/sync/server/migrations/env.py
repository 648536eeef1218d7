"""Alembic environment of the sync server: runs on the connection handed over by db.py."""

from alembic import context

from intake_app.sync.server.models import ServerBase

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=ServerBase.metadata)
with context.begin_transaction():
    context.run_migrations()
