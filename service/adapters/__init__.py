"""The stores, keys and files under the application: the database and its recorders,
tokens, sessions, signing and personal-data keys, bank files, backups and migrations."""
