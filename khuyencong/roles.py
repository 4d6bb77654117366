"""Named permission checks by role, used by life cycles, views and templates alike."""


def _has_role(user, *roles):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role == "admin" or user.role in roles


def is_officer(user):
    """Provincial officers run plans and schemes day to day."""
    return _has_role(user, "officer")


def is_manager(user):
    """Managers approve plans, schemes and acceptance."""
    return _has_role(user, "manager")


def is_district(user):
    """District staff enter facilities and their requests."""
    return _has_role(user, "district")


def can_edit_facilities(user):
    return _has_role(user, "district", "officer")


def can_use_reports(user):
    """Quarterly reports are for the province's managers and officers."""
    return _has_role(user, "manager", "officer")
