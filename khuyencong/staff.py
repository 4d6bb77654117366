"""Writes on staff accounts that are more than an edit of the admin's form."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .saving import authored

SUCCESSION_REASON = "Chuyển sang đơn vị kế thừa sau sắp xếp đơn vị hành chính"


def users_move_to_successors(*, users, by, day=None):
    """Move each of `users` whose unit has ended to the unit that holds its place on `day`
    (following the successor links), with who did it and why in the user's history. Returns
    (moved [(user, from, to)], undecided [user]): an account whose unit ended without a
    successor stays where it is, for the administrator to place by hand."""
    if not by.sees_everything:
        raise PermissionDenied("Chỉ quản trị hệ thống chuyển đơn vị của người dùng.")
    day = day or timezone.localdate()
    moved, undecided = [], []
    with transaction.atomic():
        for user in users.select_related("unit").order_by("username"):
            old = user.unit
            if old is None or old.is_current_on(day):
                continue
            new = old.successor_on(day)
            if new is None:
                undecided.append(user)
                continue
            user.unit = new
            authored(user, by, SUCCESSION_REASON).save(update_fields=["unit"])
            moved.append((user, old, new))
    return moved, undecided
