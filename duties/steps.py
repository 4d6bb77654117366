"""The labels of the life cycles' main-path steps, read from the transitions' declarations
(`custom={"label": …, "next": True}`), as the record's page reads them (workflow.next_step): the
tasks page names the step a record waits for without loading the record."""

from functools import cache


@cache
def step_labels(model):
    """{state: label} of the main-path step taken from each state of model. A step of another
    process (`only_from`) names the state only when no step of the record's own page does."""
    status = model._meta.get_field("status")
    states = [value for value, _ in status.choices]
    labels, fallback = {}, {}
    for t in status.get_all_transitions(model):
        if not t.custom.get("next"):
            continue
        chosen = fallback if "only_from" in t.custom else labels
        for state in states if t.source == "*" else [t.source]:
            chosen.setdefault(state, t.custom.get("label", t.name))
    return {**fallback, **labels}


def step_label(model, state):
    return step_labels(model).get(state, "")
