"""The course's tests. tools/ is imported first, for its start-up setting (tools/__init__.py)."""

import tools  # noqa: F401
