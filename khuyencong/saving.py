"""Writing a record as the services do: validated, with its author and the reason of the change
in its history (django-simple-history reads `_history_user` and `_change_reason`, set here
and nowhere else), and a new record's form saved once however often it is sent."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


class RuleBroken(Exception):
    """A write refused by a business rule; the message is for the user, in Vietnamese."""


class SentTwice(Exception):
    """The same form was sent before, or at the same instant: `record` is what the other
    sending saved."""

    def __init__(self, record):
        super().__init__(f"{record._meta.verbose_name} {record.pk} was saved by the same form")
        self.record = record


def refuse_sent_twice(model, form_token):
    """SentTwice if a record of `model` already keeps this form's token (SentOnceForm). A
    service calls it once it holds its lock, before its rules: the second of two sendings at the
    same instant is told it was sent before, not that the first one's record now breaks a rule."""
    if form_token and (first := model._default_manager.filter(form_token=form_token).first()):
        raise SentTwice(first)


def _token_of(record):
    return getattr(record, "form_token", None) if record.pk is None else None


def save_once(record):
    """Save a record its form has validated. Of two sendings of one new record's form at once,
    both got past the form's check (SentOnceForm.sent_before); the unique token refuses the
    second insert once the first commits, and the second is given the first's record instead."""
    if not _token_of(record):
        record.save()
        return
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        refuse_sent_twice(type(record), record.form_token)
        raise


# django-simple-history keeps the reason in a column of 100 characters.
CHANGE_REASON_MAX = 100


def authored(record, user, reason=""):
    """Name who makes the record's next save or delete, and why, for its history. A reason that
    carries what the user typed (a cap exception's) is cut to the column, the rest kept on the
    record itself."""
    record._history_user = user
    if reason:
        if len(reason) > CHANGE_REASON_MAX:
            reason = reason[: CHANGE_REASON_MAX - 1].rstrip() + "…"
        record._change_reason = reason
    return record


def saved(record, user, reason=""):
    """Validate and save the record with its author and reason in the history. What the model's
    checks refuse, the form's may not have seen (a plan's province is not on its form) and is a
    RuleBroken with their Vietnamese message. Of two sendings of one form at the same instant,
    both pass the checks and the database refuses the second's duplicate: that one is refused
    with the message the checks give now that the first is saved, never a server error — or,
    when the record keeps its form's token, with SentTwice and the first's record."""
    authored(record, user, reason)
    token = _token_of(record)
    refuse_sent_twice(type(record), token)
    try:
        record.full_clean()
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            record.full_clean()  # sees the row saved first
            raise
    except ValidationError as error:
        refuse_sent_twice(type(record), token)  # the unique token, saved meanwhile
        raise RuleBroken(" ".join(error.messages)) from None
    return record


def deleted(record, user, reason=""):
    """Delete the record, its author and reason in the history."""
    authored(record, user, reason).delete()
