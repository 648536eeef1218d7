"""The encrypted vault: SQLCipher database, keys, ORM models, migrations, audit log, backups. No Qt."""
