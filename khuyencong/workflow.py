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
- `confirm`: the question its button asks before it is sent, with `{obj}` for the record
  ("Phê duyệt đề án {obj.code}?"); without it, step_question builds one from the label.
- `next`: the step is on the main path, the one a record's page announces as its next step
  ("Bước tiếp theo") and the tasks page lists for whoever takes it; alternatives (refuse,
  withdraw, cancel, send back) are not.

A precondition may name where it is put right (`fix`: a fragment of the record's page, such as
"#ho-so"), so that the page links each missing thing to its place. A condition answers truthy
(holds) or falsy (missing, told with its declared `message`); one that wants to name the figures
("… (400.000.000 đ) khác tổng các hạng mục (300.000.000 đ).") answers `Unmet(message)`, which is
falsy for django-fsm too and whose message replaces the declared one.
"""

from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django_fsm import has_transition_perm

from .saving import authored

# A reason typed for a step (a request not chosen, a scheme cancelled) is read by people on the
# record's page: a page of text at most.
REASON_MAX_LENGTH = 2000


class TransitionRefused(Exception):
    """A transition that may not happen now; the message is for the user, in Vietnamese."""


class Unmet:
    """A condition's answer that it does not hold, with the message of the moment (its figures);
    falsy, so that django-fsm and every caller read it as a plain False."""

    def __init__(self, message):
        self.message = message

    def __bool__(self):
        return False

    def __repr__(self):
        return f"Unmet({self.message!r})"


def _message(condition, answer, default):
    """What the user is told of a condition that did not hold: its answer's own message, else
    the one it declares, else `default`."""
    return getattr(answer, "message", None) or getattr(condition, "message", default)


def precondition(message, fix=""):
    """Mark a condition function with the message shown when it does not hold, and where on
    the record's page it is put right (a fragment such as "#ho-so"; "" for nowhere)."""

    def decorate(func):
        func.message = message
        func.fix = fix
        return func

    return decorate


@dataclass(frozen=True)
class Missing:
    """One thing a step still waits for, and where it is put right."""

    message: str
    fix: str = ""


@dataclass(frozen=True)
class NextStep:
    """The record's next step on its main path: what it is, which roles take it, whether this
    user may, and everything it still waits for (all of it, not the first)."""

    name: str
    label: str
    roles: tuple
    missing: list = field(default_factory=list)
    yours: bool = False

    @property
    def ready(self):
        return not self.missing

    @property
    def who(self):
        from .models import User  # the models import this module

        return ", ".join(User.Role(role).label for role in self.roles)


def _conditions(t):
    return [*(t.conditions or []), *t.custom.get("page_conditions", [])]


def _missing(obj, t):
    missing = []
    for c in _conditions(t):
        answer = c(obj)
        if not answer:
            fix = getattr(c, "fix", "")
            missing.append(
                Missing(
                    _message(c, answer, "Chưa đủ điều kiện."), fix(obj) if callable(fix) else fix
                )
            )
    return missing


def _roles(t):
    return tuple(getattr(t.permission, "roles", ()))


@cache
def main_steps(model):
    """{state: transition} of the main-path step taken from each state of model; a step of
    another process (`only_from`) stands for a state only when no step of the record's own page
    does. The record's page (next_step) and the tasks page (duties.steps) both read this."""
    status = model._meta.get_field("status")
    states = [value for value, _ in status.choices]
    own, other = {}, {}
    for t in status.get_all_transitions(model):
        if t.custom.get("next"):
            chosen = other if "only_from" in t.custom else own
            for state in states if t.source == "*" else [t.source]:
                chosen.setdefault(state, t)
    return {**other, **own}


def next_step(obj, user=None):
    """The NextStep of obj from its current state, or None at the end of its life cycle."""
    t = main_steps(type(obj)).get(obj.status)
    if t is None:
        return None
    yours = user is not None and t.has_perm(obj, user) and "only_from" not in t.custom
    return NextStep(t.name, t.custom.get("label", t.name), _roles(t), _missing(obj, t), yours)


def waiting_states(model, role):
    """The states of model whose next step `role` takes: what waits for him (the tasks page
    counts records in these states, so it and the record's page read the same declaration)."""
    status = model._meta.get_field("status")
    states = set()
    for t in status.get_all_transitions(model):
        if t.custom.get("next") and role in _roles(t):
            states |= {value for value, _ in status.choices} if t.source == "*" else {t.source}
    return sorted(states)


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


def step_question(obj, name):
    """The question the page asks before it sends step `name` of obj (every step is final: it
    moves the record on): the step's `confirm`, or its label and the record, naming what it is
    ("Gửi lên tỉnh đăng ký nhu cầu hỗ trợ «…»?") unless the label does ("Hủy đề án «…»?")."""
    meta = getattr(getattr(type(obj), name, None), "_django_fsm", None)
    custom = next(iter(meta.transitions.values())).custom if meta else {}
    if custom.get("confirm"):
        return custom["confirm"].format(obj=obj)
    label = custom.get("label", name)
    noun = str(obj._meta.verbose_name)
    named = " ".join(noun.split()[:2]).lower() in label.lower()
    return f"{label} «{obj}»?" if named else f"{label} {noun} «{obj}»?"


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
    """[(label, [Missing])] of the transitions this user could run from the current state but
    for preconditions: shown disabled with every reason, rather than simply missing."""
    result = []
    for t in obj.get_all_status_transitions():
        if t.source not in (obj.status, "*") or "only_from" in t.custom:
            continue
        if not t.has_perm(obj, user):
            continue
        failed = _missing(obj, t)
        if failed:
            result.append((t.custom.get("label", t.name), failed))
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
        unmet = []  # every reason at once, as the page lists them
        for condition in step.conditions or []:
            answer = condition(obj)
            if not answer:
                unmet.append(_message(condition, answer, f"Chưa thể “{label}”."))
        if unmet:
            raise TransitionRefused(" ".join(unmet))
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
