"""Alembic environment for the question log: always run from docqa (database.py's `upgrade`), on the
connection it hands over in `config.attributes["connection"]` (inside its transaction and lock)."""

from alembic import context

from docqa.server.questions.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
