import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def rows_of(model, pk) -> list:
    """The history of the object ``pk`` of ``model``, oldest first."""
    return list(model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id"))


def assert_recorded(rows, *, user, actions: str, since: datetime.datetime) -> None:
    """``rows`` are the changes ``actions`` ("+~-": created, changed, deleted), in this order,
    each by ``user`` at a time between ``since`` and now."""
    assert "".join(row.history_type for row in rows) == actions
    now = timezone.now()
    for row in rows:
        assert row.history_user == user, (row, row.history_user)
        assert since <= row.history_date <= now
