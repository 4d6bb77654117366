"""The gates of a request for acceptance ("Đề nghị nghiệm thu"): the latest inspection at
100 %, no problem it left unresolved, the dossier complete; or the officer's recorded exception,
kept with who, when, which gates and why, and shown in the timeline."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import DocumentKind
from khuyencong.saving import RuleBroken
from khuyencong.workflow import TransitionRefused, blocked_transitions, next_step
from schemes import services
from schemes.models import AcceptanceWaiver
from schemes.timeline import scheme_timeline
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
LANDSLIDE = "Đường vào thôn bị sạt lở, chưa vận chuyển được máy."
PROGRESS = "Lần kiểm tra gần nhất (14/09/2022) ghi tiến độ 40 %, chưa đạt 100 %."
PROBLEM = (
    f"Lần kiểm tra gần nhất (14/09/2022) còn ghi vướng mắc: “{LANDSLIDE}”. Vướng mắc được coi "
    "là đã giải quyết khi một lần kiểm tra sau không còn ghi vướng mắc."
)


@pytest.fixture
def scheme(province):
    """In progress, its latest inspection at 40 % with a landslide, its dossier empty."""
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status="in_progress",
        budget=200 * TR,
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
    )
    f.ContractFactory(scheme=scheme, value=200 * TR)
    f.InspectionFactory(scheme=scheme, inspected_on=datetime.date(2022, 7, 1), progress_percent=30)
    f.InspectionFactory(
        scheme=scheme,
        inspected_on=datetime.date(2022, 9, 14),
        progress_percent=40,
        problems=LANDSLIDE,
    )
    return scheme


def _dossier_message(scheme):
    kinds = [k.name for k in DocumentKind.objects.required_for(scheme.activity_type, "scheme")]
    return f"Hồ sơ còn thiếu {len(kinds)} tài liệu bắt buộc: {'; '.join(kinds)}."


def _complete_dossier(scheme):
    for kind in DocumentKind.objects.required_for(scheme.activity_type, "scheme"):
        f.SchemeDocumentFactory(scheme=scheme, kind=kind)


def _request(scheme, user):
    return services.scheme_transition(scheme_id=scheme.pk, name="request_acceptance", user=user)


def _inspect(scheme, officer, day, progress, problems=""):
    return services.inspection_record(
        scheme=scheme,
        user=officer,
        inspected_on=day,
        inspectors="Trung tâm Khuyến công",
        progress_percent=progress,
        problems=problems,
    )


def test_the_next_step_lists_every_gate_at_once(scheme, officer, manager):
    step = next_step(scheme, manager)
    assert (step.name, step.label, step.roles, step.yours) == (
        "request_acceptance",
        "Đề nghị nghiệm thu",
        ("officer",),
        False,
    )
    assert [(m.message, m.fix) for m in step.missing] == [
        (PROGRESS, "#kiem-tra"),
        (PROBLEM, "#kiem-tra"),
        (_dossier_message(scheme), "#ho-so"),
    ]
    [(label, missing)] = blocked_transitions(scheme, officer)
    assert label == "Đề nghị nghiệm thu" and len(missing) == 3


def test_each_gate_refuses_with_its_message(scheme, officer):
    with pytest.raises(TransitionRefused) as refused:
        _request(scheme, officer)
    # Every unmet gate at once, as the page lists them.
    assert str(refused.value).startswith(PROGRESS)
    assert "còn ghi vướng mắc" in str(refused.value)
    assert _dossier_message(scheme) in str(refused.value)
    _inspect(scheme, officer, datetime.date(2022, 10, 1), 100, problems=LANDSLIDE)
    with pytest.raises(TransitionRefused) as refused:
        _request(scheme, officer)
    assert "(01/10/2022) còn ghi vướng mắc" in str(refused.value)
    # A later visit that records no problem resolves it.
    _inspect(scheme, officer, datetime.date(2022, 10, 20), 100)
    with pytest.raises(TransitionRefused) as refused:
        _request(scheme, officer)
    assert str(refused.value) == _dossier_message(scheme)
    _complete_dossier(scheme)
    assert _request(scheme, officer).status == "awaiting_acceptance"


def test_a_beneficiarys_missing_document_is_named(province, scheme, officer):
    _inspect(scheme, officer, datetime.date(2022, 10, 20), 100)
    _complete_dossier(scheme)
    link = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune), support_amount=TR
    )
    [message] = [m.message for m in next_step(scheme, officer).missing]
    assert message.startswith("Hồ sơ còn thiếu") and f"({link.facility.name})" in message


def test_the_officers_exception_lifts_the_gates_and_is_in_the_timeline(scheme, officer):
    with pytest.raises(RuleBroken, match="Cần nêu lý do"):
        services.acceptance_waiver_record(scheme=scheme, user=officer, reason="  ")
    reason = "Đã khắc phục sạt lở, UBND xã xác nhận ngày 30/09/2022; hồ sơ bổ sung khi nghiệm thu."
    waiver = services.acceptance_waiver_record(scheme=scheme, user=officer, reason=reason)
    assert waiver.gates == ["progress", "problem", "dossier"]
    assert (waiver.recorded_by, waiver.reason) == (officer, reason)
    assert waiver.created_at is not None
    assert next_step(scheme, officer).missing == []
    assert _request(scheme, officer).status == "awaiting_acceptance"
    [event] = [e for e in scheme_timeline(scheme) if "ngoại lệ đề nghị" in e.action]
    assert event.who == officer
    assert event.action == "Ghi nhận ngoại lệ đề nghị nghiệm thu"
    assert event.detail == (
        "Miễn điều kiện: tiến độ chưa đạt 100 %, vướng mắc chưa được giải quyết, hồ sơ còn "
        f"thiếu tài liệu; lý do: {reason}"
    )


def test_an_exception_waives_only_the_gates_unmet_when_recorded(scheme, officer):
    _inspect(scheme, officer, datetime.date(2022, 10, 20), 100)
    waiver = services.acceptance_waiver_record(scheme=scheme, user=officer, reason="Hồ sơ sau")
    assert waiver.gates == ["dossier"]
    with pytest.raises(RuleBroken, match="đã đủ điều kiện"):
        services.acceptance_waiver_record(scheme=scheme, user=officer, reason="Lần nữa")
    # A problem found after it is not waived by it.
    _inspect(scheme, officer, datetime.date(2022, 10, 25), 100, problems="Máy hỏng motor.")
    assert [m.fix for m in next_step(scheme, officer).missing] == ["#kiem-tra"]


@pytest.mark.parametrize("who", ["manager", "district_user"])
def test_only_the_officer_records_an_exception(request, scheme, who):
    with pytest.raises(Exception, match="Chỉ cán bộ"):
        services.acceptance_waiver_record(
            scheme=scheme, user=request.getfixturevalue(who), reason="Lý do"
        )
    assert not AcceptanceWaiver.objects.exists()


def test_the_exception_form_is_by_the_blocked_step_and_records(login, scheme, officer, manager):
    url = reverse("schemes:scheme_detail", args=[scheme.pk])
    assert 'id="ngoai-le"' not in login(manager).get(url).text
    client = login(officer)
    page = client.get(url)
    assert 'id="ngoai-le"' in page.text
    assert 'data-confirm="Ghi nhận ngoại lệ' in page.text
    waive = reverse("schemes:acceptance_waiver_add", args=[scheme.pk])
    refused = client.post(waive, {"reason": ""}, follow=True)
    assert "Cần nêu lý do đề nghị nghiệm thu khi chưa đủ điều kiện." in refused.text
    done = client.post(waive, {"reason": "Sạt lở đã khắc phục"}, follow=True)
    assert "Đã ghi nhận ngoại lệ" in done.text
    assert "Miễn: tiến độ chưa đạt 100 %" in done.text  # on the page's facts
    assert "Miễn điều kiện: tiến độ chưa đạt 100 %" in done.text  # in the timeline
    assert 'id="ngoai-le"' not in done.text
    moved = client.post(
        reverse("schemes:scheme_transition", args=[scheme.pk, "request_acceptance"]), follow=True
    )
    assert "Chờ nghiệm thu" in moved.text
