"""Writing a record as the services do: validated, with its author and the reason of the change
in its history (django-simple-history reads `_history_user` and `_change_reason`, set here
and nowhere else)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


class RuleBroken(Exception):
    """A write refused by a business rule; the message is for the user, in Vietnamese."""


def authored(record, user, reason=""):
    """Name who makes the record's next save or delete, and why, for its history."""
    record._history_user = user
    if reason:
        record._change_reason = reason
    return record


def saved(record, user, reason=""):
    """Validate and save the record with its author and reason in the history. What the model's
    checks refuse, the form's may not have seen (a plan's province is not on its form) and is a
    RuleBroken with their Vietnamese message. Of two sendings of one form at the same instant,
    both pass the checks and the database refuses the second's duplicate: that one is refused
    with the message the checks give now that the first is saved, never a server error."""
    authored(record, user, reason)
    try:
        record.full_clean()
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            record.full_clean()  # sees the row saved first
            raise
    except ValidationError as error:
        raise RuleBroken(" ".join(error.messages)) from None
    return record


def deleted(record, user, reason=""):
    """Delete the record, its author and reason in the history."""
    authored(record, user, reason).delete()
