"""factory_boy factories for permission groups and second-factor devices."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts.models import EncryptedTOTPDevice
from tests.factories import UserFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (the key is made and encrypted by the model); one per
    user and name, so signing the same user in twice reuses it."""

    class Meta:
        model = EncryptedTOTPDevice
        django_get_or_create = ("user", "name")

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True
