"""Runs the life-cycle transitions declared on models (django-fsm-2) the same way everywhere:
row locked, role checked, each precondition checked with its own Vietnamese message, the change
saved with its actor and its name in the history.

Beside its `label`, a transition's `custom` may declare:
- `inputs`: the form of what the step takes from the user (khuyencong.stepinputs). The step's
  keyword arguments are bound to it, an invalid one is refused with its messages, and the
  method gets the cleaned values; the pages render the same form.
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
    """(name, label, inputs) of the transitions this user may run on obj now; `inputs` is the
    step's unbound inputs form, or None for a step that takes none."""
    result = []
    for t in obj.get_available_status_transitions():
        if "only_from" in t.custom or not all(c(obj) for c in t.custom.get("page_conditions", [])):
            continue
        if has_transition_perm(getattr(obj, t.name), user):
            result.append((t.name, t.custom.get("label", t.name), _page_inputs(obj, t)))
    return result


def _page_inputs(obj, t):
    inputs = t.custom.get("inputs")
    if inputs is None:
        return None
    # A field the record also has shows its current value (the plan's approving body); ids
    # carry the step's name, as several steps' forms share the page.
    initial = {name: getattr(obj, name) for name in inputs.base_fields if hasattr(obj, name)}
    return inputs(initial=initial, auto_id=f"id_{t.name}_%s")


def posted_inputs(model, name, post):
    """The values a page posted for the inputs step `name` declares (none for a step that takes
    none, or no such step): the view passes them on without naming them."""
    meta = getattr(getattr(model, name, None), "_django_fsm", None)
    inputs = meta and next(iter(meta.transitions.values())).custom.get("inputs")
    if not inputs:
        return {}
    return {field: post[field] for field in inputs.base_fields if field in post}


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
    `kwargs` are the step's inputs, bound to the form it declares; `check(obj, **inputs)`, run
    once the row is locked, refuses (TransitionRefused) what depends on their cleaned values.

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
        inputs = _cleaned_inputs(custom, kwargs)
        if check:
            check(obj, **inputs)
        method(user=user, **inputs)
        authored(obj, user, label)
        try:
            obj.full_clean()
        except ValidationError as error:  # what the user typed for the step (a decision number …)
            raise TransitionRefused(_explained(obj, error)) from error
        obj.save()
        return obj


def _cleaned_inputs(custom, kwargs):
    """The cleaned values of the step's declared inputs; a step without a form gets kwargs as
    they are (none, unless a caller passes something the method must then take)."""
    inputs = custom.get("inputs")
    if inputs is None:
        return kwargs
    form = inputs(data=kwargs)
    if not form.is_valid():
        messages = []  # each once: the number and the date of a decision share theirs
        for errors in form.errors.values():
            messages += [m for m in errors if m not in messages]
        raise TransitionRefused(" ".join(messages))
    return form.cleaned_data


def _explained(obj, error):
    """'Số quyết định: Giá trị này chỉ có tối đa 50 kí tự …' for each field of the error."""
    parts = []
    for name, messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else obj._meta.get_field(name).verbose_name
        label = label.capitalize()
        # A message that already names its field ("Ngày chi không thể sau …") is not prefixed.
        parts += [f"{label}: {m}" if label and not m.startswith(label) else m for m in messages]
    return " ".join(parts)
