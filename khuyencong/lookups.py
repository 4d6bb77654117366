"""`field__any_of=values`: the field equals one of the values, sent as a single array parameter
(`= ANY(%s)`) instead of `IN (%s, %s, …)`. With thousands of values — the names and tax codes of
a large sheet — the driver takes longer to build the IN list than the database to answer."""

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"

    def get_prep_lookup(self):
        prepare = self.lhs.output_field.get_prep_value
        return [prepare(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
