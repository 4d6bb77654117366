import pytest

from tests import factories as f


@pytest.fixture
def activity(db):
    """An activity a request or a rule may name (one under a group), whether or not the list
    seeded by the migrations is there: a test with transaction=True empties every table after
    it, and the tests after it in the same run find the list gone."""
    group = f.ActivityTypeFactory(code="03", name="Ứng dụng máy móc thiết bị")
    return f.ActivityTypeFactory(code="03.3", parent=group)
