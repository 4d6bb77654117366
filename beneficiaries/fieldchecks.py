"""The field checks of Model.full_clean (max lengths, choices, blanks, number ranges), with the
same messages, fast enough for ten thousand rows of a spreadsheet.

Model.clean_fields runs each field's clean(): conversion, choices, then every validator — tens
of microseconds a row that nearly always end in "valid". Here a field whose clean() we know
(plain text, number and yes/no fields with length and range validators) first gets a shortcut
that only says "valid, unchanged"; any value it does not vouch for, and any field without one,
goes through the field's own clean(), so errors and conversions are Django's.
"""

import math

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models

# Field classes whose value of this exact type is its own: clean() returns it unchanged when
# it is valid, and get_db_prep_save() sends it as it is (bulkwrites).
PLAIN_TYPES = (
    (models.BooleanField, bool),
    (models.IntegerField, int),
    (models.CharField, str),
    (models.TextField, str),
)
_LIMITS = (
    validators.MaxLengthValidator,
    validators.MinValueValidator,
    validators.MaxValueValidator,
    validators.ProhibitNullCharactersValidator,
)


class FieldChecks:
    """Model.clean_fields() of a model's instances, as {field name: [messages]}."""

    def __init__(self, model):
        self.fields = [
            (field, field.attname, _shortcut(field))
            for field in model._meta.fields
            if not field.generated
        ]

    def errors(self, instance, exclude=()):
        """Check (and, where Django would, convert) each field but those in `exclude`. A
        foreign key already set is not checked again: imports find related rows in the user's
        scope, and checking that the row exists would cost a query per row."""
        errors = {}
        for field, attname, valid in self.fields:
            if field.name in exclude:
                continue
            value = getattr(instance, attname)
            if field.is_relation and value is not None:
                continue
            if (field.blank and value in field.empty_values) or (valid and valid(value)):
                continue
            try:
                setattr(instance, attname, field.clean(value, instance))
            except ValidationError as error:
                errors[field.name] = error.messages
        return errors


def _shortcut(field):
    """A test saying that field.clean(value) would return value unchanged and raise nothing, for
    the usual values; None when the field's clean() is not one we know."""
    base, kind = next(((cls, t) for cls, t in PLAIN_TYPES if isinstance(field, cls)), (None, None))
    if base is None or not _plain_methods(type(field), base):
        return None
    longest, low, high, no_nul = math.inf, -math.inf, math.inf, False
    for validator in field.validators:
        if type(validator) not in _LIMITS or callable(getattr(validator, "limit_value", None)):
            return None
        if isinstance(validator, validators.MaxLengthValidator):
            longest = validator.limit_value
        elif isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value
        else:
            no_nul = True
    choices = {key for key, _label in field.flatchoices} if field.choices else None
    # validate() skips a field that is not editable, and validators skip empty values.
    may_be_empty = field.blank or not field.editable

    def valid(value):
        if type(value) is not kind or (choices is not None and value not in choices):
            return False
        if kind is str:
            return (
                (may_be_empty or value != "")
                and len(value) <= longest
                and not (no_nul and "\x00" in value)
            )
        return kind is bool or low <= value <= high

    return valid


def _plain_methods(field_class, base):
    """The field converts and validates as its Django base class does."""
    return (
        field_class.to_python is base.to_python
        and field_class.validate is models.Field.validate
        and field_class.clean is models.Field.clean
        and field_class.run_validators is models.Field.run_validators
    )
