"""What storage raises that callers outside `core.storage` may catch by name.

`Conflict`: a write broke a uniqueness or foreign-key rule (SQLAlchemy's `IntegrityError`, which
in-memory fakes raise too), e.g. a concurrent re-delivery of one platform update.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError as Conflict

__all__ = ["Conflict"]
