"""The labels of the life cycles' main-path steps, read from the transitions' declarations
(`custom={"label": …, "next": True}`), as the record's page reads them (workflow.next_step): the
tasks page names the step a record waits for without loading the record."""

from functools import cache

from khuyencong.workflow import main_steps


@cache
def step_labels(model):
    """{state: label} of the main-path step taken from each state of model."""
    return {state: t.custom.get("label", t.name) for state, t in main_steps(model).items()}


def step_label(model, state):
    return step_labels(model).get(state, "")
