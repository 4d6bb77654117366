"""Runs the life-cycle transitions declared on models (django-fsm-2) the same way everywhere:
row locked, role checked, each precondition checked with its own Vietnamese message, the change
saved with its actor and its name in the history.

Beside its `label`, a transition's `custom` may declare:
- `only_from`: the step belongs to another process (a request enters the plan through the plan
  builder); the message says where. Pages do not offer it, and only that process's service runs
  it (`from_service=True`).
- `page_conditions`: preconditions the page shows (disabled, with the reason) but that the
  service checks itself with what the user types for the step (the caps on a decision's date).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django_fsm import has_transition_perm

from .saving import authored

# A reason typed for a step (a request not chosen, a scheme cancelled) is read by people on the
# record's page: a page of text at most.
REASON_MAX_LENGTH = 2000


class TransitionRefused(Exception):
    """A transition that may not happen now; the message is for the user, in Vietnamese."""


def precondition(message):
    """Mark a condition function with the message shown when it does not hold."""

    def decorate(func):
        func.message = message
        return func

    return decorate


def allowed_transitions(obj, user):
    """Names and labels of the transitions this user may run on obj now."""
    result = []
    for t in obj.get_available_status_transitions():
        if "only_from" in t.custom or not all(c(obj) for c in t.custom.get("page_conditions", [])):
            continue
        if has_transition_perm(getattr(obj, t.name), user):
            result.append((t.name, t.custom.get("label", t.name)))
    return result


def blocked_transitions(obj, user):
    """[(label, reason)] of the transitions this user could run from the current state but for
    a precondition: shown disabled with the reason, rather than simply missing."""
    result = []
    for t in obj.get_all_status_transitions():
        if t.source not in (obj.status, "*") or "only_from" in t.custom:
            continue
        if not t.has_perm(obj, user):
            continue
        conditions = [*(t.conditions or []), *t.custom.get("page_conditions", [])]
        failed = [c for c in conditions if not c(obj)]
        if failed:
            label = t.custom.get("label", t.name)
            result.append((label, getattr(failed[0], "message", f"Chưa thể “{label}”.")))
    return result


def run_transition(
    model, pk, name, user, *, queryset=None, check=None, from_service=False, **kwargs
):
    """Lock the row, check and run transition `name`, save, and return the fresh object.
    `check(obj, **kwargs)`, run once the row is locked, refuses (TransitionRefused) what depends
    on the step's inputs.

    A double click or a colleague's earlier action finds the row already moved on and is refused
    with a message, instead of running the transition twice.
    """
    with transaction.atomic():
        base = queryset if queryset is not None else model.objects
        obj = base.select_for_update().get(pk=pk)
        method = getattr(obj, name, None)
        meta = getattr(method, "_django_fsm", None)
        if meta is None:
            raise TransitionRefused("Thao tác không tồn tại.")
        state = meta.field.get_state(obj)
        step = meta.get_transition(state)
        custom = next(iter(meta.transitions.values())).custom
        label = custom.get("label", name)
        if "only_from" in custom and not from_service:
            raise TransitionRefused(custom["only_from"])
        if step is None:
            raise TransitionRefused(
                f"Không thể “{label}” khi đang ở trạng thái “{obj.get_status_display()}”."
            )
        if not step.has_perm(obj, user):
            raise TransitionRefused(f"Bạn không có quyền “{label}”.")
        for condition in step.conditions or []:
            if not condition(obj):
                raise TransitionRefused(getattr(condition, "message", f"Chưa thể “{label}”."))
        if check:
            check(obj, **kwargs)
        method(user=user, **kwargs)
        authored(obj, user, label)
        try:
            obj.full_clean()
        except ValidationError as error:  # what the user typed for the step (a decision number …)
            raise TransitionRefused(_explained(obj, error)) from error
        obj.save()
        return obj


def _explained(obj, error):
    """'Số quyết định: Giá trị này chỉ có tối đa 50 kí tự …' for each field of the error."""
    parts = []
    for name, messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else obj._meta.get_field(name).verbose_name
        parts += [f"{label.capitalize()}: {m}" if label else m for m in messages]
    return " ".join(parts)
