"""Named permission checks by role, used by life cycles, views and templates alike: the one
place that says which role may do what. Administrators (and superusers) may do everything."""


def _has_role(user, *roles):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role == "admin" or user.role in roles


def _for(*roles):
    """Name the roles a check admits (administrators aside): the next-step line and the tasks
    say who takes a step from the check its transition declares."""

    def decorate(check):
        check.roles = roles
        return check

    return decorate


@_for("officer")
def is_officer(user):
    """Provincial officers run plans and schemes day to day."""
    return _has_role(user, "officer")


@_for("manager")
def is_manager(user):
    """Managers approve plans, schemes and acceptance."""
    return _has_role(user, "manager")


def is_provincial(user):
    """Officers and managers work on the whole province."""
    return _has_role(user, "officer", "manager")


@_for("district")
def is_district(user):
    """District staff enter facilities and their requests."""
    return _has_role(user, "district")


def can_edit_facilities(user):
    return _has_role(user, "district", "officer")


def can_use_reports(user):
    """Quarterly reports are for the province's managers and officers."""
    return _has_role(user, "manager", "officer")


def permission(check):
    """A role check as a life-cycle transition's `permission`, which is called with the record
    and the user."""
    allowed = lambda record, user: check(user)  # noqa: E731 — it carries the check's roles
    allowed.roles = getattr(check, "roles", ())
    return allowed
