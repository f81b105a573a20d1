"""Re-encrypting every encrypted column under the newest key, so old keys can be retired.

Rotation, step by step (README "Security" has the operator's version):

1. generate a key; put it first in ``FIELD_ENCRYPTION_KEYS`` (keep the old ones after it);
2. deploy: new writes use the new key, old rows still decrypt with the old one;
3. ``manage.py rotate_encryption_keys``: every row of every ``EncryptedTextField`` column of
   every installed model is rewritten under the newest key;
4. ``manage.py rotate_encryption_keys --check`` reports 0 rows needing the old keys;
5. remove the old keys from ``FIELD_ENCRYPTION_KEYS`` and deploy.

Rows are read as raw ciphertext and written back as ciphertext (``MultiFernet.rotate``, which
keeps each token's timestamp), never as plaintext through Python objects, in batches by primary
key with one transaction and a row lock per batch: a crash part-way loses nothing, and running
it again simply finishes the job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast

from config.encryption import PREFIX, encrypted_fields, reencrypt


@dataclass(frozen=True)
class Column:
    model: type[models.Model]
    field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


def encrypted_columns() -> list[Column]:
    return [
        Column(model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in encrypted_fields(model)
    ]


def _raw_rows(column: Column, after: object | None, limit: int, *, lock: bool) -> list[tuple]:
    """(pk, ciphertext) pairs: ``Cast`` to a plain TextField skips the field's decryption."""
    qs = column.model._base_manager.order_by("pk")
    if after is not None:
        qs = qs.filter(pk__gt=after)
    if lock:
        qs = qs.select_for_update()
    qs = qs.exclude(**{f"{column.field}__isnull": True}).exclude(**{column.field: ""})
    return list(qs.values_list("pk", Cast(column.field, output_field=models.TextField()))[:limit])


def _batches(column: Column, batch_size: int) -> Iterator[int]:
    after: object | None = None
    manager = column.model._base_manager
    while True:
        with transaction.atomic():
            rows = _raw_rows(column, after, batch_size, lock=True)
            for pk, raw in rows:
                manager.filter(pk=pk).update(
                    **{column.field: models.Value(reencrypt(raw), output_field=models.TextField())}
                )
        if not rows:
            return
        after = rows[-1][0]
        yield len(rows)


def rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Rewrite every encrypted value under the newest key; returns rows rewritten per column."""
    done: dict[str, int] = {}
    for column in encrypted_columns():
        done[column.label] = sum(_batches(column, batch_size))
    return done


def rows_needing_old_keys(*, batch_size: int = 1000) -> dict[str, int]:
    """Rows per column that the newest key alone cannot read (plaintext counts too)."""
    newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    result: dict[str, int] = {}
    for column in encrypted_columns():
        stale, after = 0, None
        while True:
            rows = _raw_rows(column, after, batch_size, lock=False)
            for _, raw in rows:
                try:
                    if not raw.startswith(PREFIX):
                        raise InvalidToken
                    newest.decrypt(raw[len(PREFIX) :].encode())
                except InvalidToken:
                    stale += 1
            if len(rows) < batch_size:
                break
            after = rows[-1][0]
        result[column.label] = stale
    return result
