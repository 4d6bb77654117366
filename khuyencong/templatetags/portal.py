"""Template filters for money and labels used across the portal."""

from django import template

from khuyencong.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """1200000000 → '1.200.000.000 đ'; None → '—'."""
    return "—" if amount is None else format_vnd(amount)


@register.filter
def percent_of(part, whole):
    """Whole-number percentage, 0 when the whole is empty."""
    return round(100 * (part or 0) / whole) if whole else 0


@register.filter
def vnd_plain(amount):
    """1200000000 → '1.200.000.000' (tables that state their unit once); None → '—'."""
    return "—" if amount is None else format_vnd(amount, unit=False)
