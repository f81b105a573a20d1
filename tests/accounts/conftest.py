from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def staff_user(db):
    """A Wagtail admin user (Service staff) with a known password and no second factor yet."""
    from cms.services import SERVICE_STAFF, ensure_role_groups

    user = UserFactory(username="coordinator")
    user.groups.add(ensure_role_groups()[SERVICE_STAFF])
    return user
