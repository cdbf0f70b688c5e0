"""Constants every open of the store needs, without importing the migrations (sqlite_utils)."""

APPLICATION_ID = 0x52564D4C  # "RVML": marks the file as a revmental store
# The number of migrations in migrations.py; PRAGMA user_version holds it for a current store.
# tests/test_store_upgrade.py checks the two agree.
SCHEMA_VERSION = 6
