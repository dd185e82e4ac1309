"""Persistence on TinyDB: atomic storage, locking, backups and schema migrations."""

from .errors import StoreBusy, StoreError
from .storage import Store

__all__ = ["Store", "StoreBusy", "StoreError"]
