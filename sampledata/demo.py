"""Loads the demo province (Hà Giang, 2022). Safe to run again: what exists is left as it is.

Every record past the first step is made through the same services the screens use, so the demo
also shows the life cycles working.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from beneficiaries.models import DocumentKind, Facility, Sector, SupportRequest
from beneficiaries.reference import ensure_document_kinds, ensure_sectors
from beneficiaries.services import (
    document_add,
    facilities_move_to_successors,
    request_transition,
)
from khuyencong.models import ActivityType, AdministrativeUnit, FundingSource, User
from khuyencong.reference import ensure_reference_lists
from khuyencong.saving import authored
from khuyencong.workflow import run_transition
from reports.models import ReportSigner
from schemes import services
from schemes.models import Acceptance, Disbursement, Plan, Scheme
from schemes.reference import ensure_support_rules

from . import demo_data as data
from . import demo_units as units

DEMO_PASSWORD = "demo12345"
DAY = datetime.timedelta(days=1)


def seed_demo():
    """Load everything; returns the demo logins as (username, role label, unit name)."""
    with transaction.atomic():
        ensure_reference_lists()
        ensure_sectors()
        ensure_document_kinds()
        ensure_support_rules(local=True)
        province, districts, communes = _load_units()
        staff = _load_users(province, districts)
        facilities = _load_facilities(communes, staff["officer"])
        activity = {a.code: a for a in ActivityType.objects.all()}
        era = Era(
            year=2022,
            centre=data.CENTRE,
            inspectors="Trung tâm Khuyến công – XTCT; Phòng Kinh tế và Hạ tầng huyện",
            committee="Sở Công Thương; Trung tâm Khuyến công – XTCT; Phòng Kinh tế và Hạ tầng; "
            "đại diện cơ sở thụ hưởng",
            requester=lambda facility: _district_staff(facility, staff),
            problems={"ĐP-2022-07": (datetime.date(2022, 9, 14), data.LANDSLIDE)},
        )
        for source, plan_data, schemes in (
            ("KCQG", data.NATIONAL_PLAN, data.NATIONAL_SCHEMES),
            ("KCDP", data.LOCAL_PLAN, data.LOCAL_SCHEMES),
        ):
            load_plan(province, source, plan_data, schemes, 2022, staff, facilities, activity, era)
        _load_requests_2023(facilities, activity, staff)
        Plan.objects.get_or_create(
            unit=province,
            year=2023,
            funding_source=FundingSource.objects.get(code="KCDP"),
            defaults=data.DRAFT_PLAN_2023,
        )
        from .demo_today import load_today  # which builds on this module's loaders

        # Facilities are today's: those of the 2022 communes now belong to their successors
        # (their 2022 records keep the units of their day).
        facilities_move_to_successors(user=staff["officer"])
        facilities = {key: Facility.objects.get(pk=f.pk) for key, f in facilities.items()}
        everyone = staff["all"] + load_today(staff, facilities, activity)
    return [(u.username, u.get_role_display(), u.unit.name if u.unit else "—") for u in everyone]


@dataclass
class Era:
    """What differs between the demo's 2022 and its current year: who runs the schemes, who
    files the requests, what went wrong where."""

    year: int
    centre: str
    inspectors: str
    committee: str
    requester: object  # facility → the local staff who files its request
    problems: dict  # scheme code → (date, problem) of an inspection that found one
    event_party: str = "Công ty TNHH Sự kiện và Truyền thông Hà Giang"
    task_party: str = "Phòng Quản lý khuyến công, Trung tâm Khuyến công – XTCT"


def _unit(code, name, level, parent, *, valid_from=None, valid_to=None):
    unit, _ = AdministrativeUnit.objects.update_or_create(
        code=code,
        valid_from=valid_from,
        defaults={"name": name, "level": level, "parent": parent, "valid_to": valid_to},
    )
    return unit


def _load_units():
    L = AdministrativeUnit.Level
    new_province = _unit(*units.SUCCESSOR_PROVINCE, L.PROVINCE, None)
    province = _unit(*units.PROVINCE, L.PROVINCE, None, valid_to=units.LAST_OLD_DAY)
    districts, communes = {}, {}
    for code, name, _login, commune_rows in units.DISTRICTS:
        district = _unit(code, name, L.DISTRICT, province, valid_to=units.LAST_OLD_DAY)
        districts[code] = district
        for commune_code, commune_name in commune_rows:
            communes[commune_code] = _unit(
                commune_code, commune_name, L.COMMUNE, district, valid_to=units.LAST_OLD_DAY
            )
    for code, name, old_codes, _login in units.SUCCESSORS:
        new = _unit(code, name, L.COMMUNE, new_province, valid_from=units.MERGER_DAY)
        old = AdministrativeUnit.objects.filter(pk__in=[communes[c].pk for c in old_codes])
        old.update(successor=new)
        # A commune of the former Hà Giang keeps its priority areas: those of its old districts.
        old_districts = {c.parent.code for c in old.select_related("parent")}
        if old_districts:
            AdministrativeUnit.objects.filter(pk=new.pk).update(
                is_ethnic_minority=True,
                is_border=bool(old_districts & set(units.BORDER_DISTRICTS)),
                is_poor=bool(old_districts & set(units.POOR_DISTRICTS)),
            )
    AdministrativeUnit.objects.filter(pk=province.pk).update(successor=new_province)
    AdministrativeUnit.objects.filter(pk=new_province.pk).update(is_highland=True)
    # All of Hà Giang is highland with ethnic-minority communities; these flags put every
    # district in the programme's priority areas (the multiplier of the support caps).
    AdministrativeUnit.objects.filter(pk=province.pk).update(
        is_highland=True, is_ethnic_minority=True
    )
    AdministrativeUnit.objects.filter(code__in=units.BORDER_DISTRICTS, level=L.DISTRICT).update(
        is_border=True
    )
    AdministrativeUnit.objects.filter(code__in=units.POOR_DISTRICTS, level=L.DISTRICT).update(
        is_poor=True
    )
    province.refresh_from_db()
    return province, districts, communes


def _user(username, role, unit, first_name, last_name, **extra):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "unit": unit,
            "first_name": first_name,
            "last_name": last_name,
            # A reserved domain: reminders of the demo can reach no one.
            "email": f"{username}@khuyencong.example.org",
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _load_users(province, districts):
    """The province's officer and manager work for today's province (Tuyên Quang), which sees
    the former Hà Giang's records; the 2022 district staff stay with their districts."""
    R = User.Role
    today = AdministrativeUnit.objects.get(pk=province.successor_id)
    officer = _user(
        "officer",
        R.OFFICER,
        today,
        "Thị Thu",
        "Nguyễn",
        job_title="Cán bộ Trung tâm Khuyến công",
    )
    manager = _user(
        "manager", R.MANAGER, today, "Văn Bình", "Hoàng", job_title="Phó Giám đốc Sở Công Thương"
    )
    # A demo loaded before the merger was in the portal: its province's staff move with it.
    User.objects.filter(pk__in=[officer.pk, manager.pk], unit=province).update(unit=today)
    officer.refresh_from_db()
    manager.refresh_from_db()
    _load_signers((province, today), manager)
    admin = _user("admin", R.ADMIN, None, "Hệ thống", "Quản trị", is_staff=True, is_superuser=True)
    # The demo officer keeps the caps and may let an item above its cap, with a reason.
    officer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="schemes",
            codename__in=["add_supportrule", "change_supportrule", "add_ruleexception"],
        )
    )
    district_users = {
        code: _user(
            login,
            R.DISTRICT,
            districts[code],
            name,
            "Cán bộ",
            job_title="Cán bộ Phòng Kinh tế và Hạ tầng",
        )
        for code, name, login, _communes in units.DISTRICTS
    }
    return {
        "officer": officer,
        "manager": manager,
        "district": district_users,
        "all": [officer, manager, admin, *district_users.values()],
    }


def _load_signers(units, manager):
    """The quarterly reports of both provinces are signed by the Department's deputy director
    on the director's behalf (the report's signature block and its default recipients)."""
    for unit in units:
        ReportSigner.objects.update_or_create(
            unit=unit,
            defaults={
                "authority": "KT. GIÁM ĐỐC",
                "title": "PHÓ GIÁM ĐỐC",
                "name": manager.get_full_name(),
            },
        )


def _load_facilities(communes, officer):
    sectors = {s.code: s for s in Sector.objects.all()}
    result = {}
    for key, row in data.FACILITIES.items():
        name, kind, sector, commune, owner, tax_code, phone, workers, products = row
        # In its 2022 commune, or in the commune that took it over (moved there below).
        facility = (
            Facility.objects.filter(name=name)
            .filter(Q(unit=communes[commune]) | Q(unit__predecessors=communes[commune]))
            .first()
        )
        if facility is None:
            facility = Facility(
                name=name,
                kind=kind,
                sector=sectors[sector],
                unit=communes[commune],
                owner_name=owner,
                tax_code=tax_code,
                phone=phone,
                workers=workers,
                products=products,
                address=f"{communes[commune].name}, {communes[commune].parent.name}, tỉnh Hà Giang",
                created_by=officer,
            )
            facility.full_clean()
            authored(facility, officer).save()
        result[key] = facility
    return result


DECISION = ("decision_number", "decision_date")


def load_plan(province, source_code, values, schemes, year, staff, facilities, activity, era):
    """A plan and its schemes as the office makes them: the officer drafts the plan and its
    schemes and submits the plan, the manager approves it by its decision; then each scheme goes
    its way (submitted, approved, contracted …) to its stage."""
    plan, _ = Plan.objects.get_or_create(
        unit=province,
        year=year,
        funding_source=FundingSource.objects.get(code=source_code),
        defaults={k: v for k, v in values.items() if k not in DECISION},
    )
    proposed = [
        _propose_scheme(plan, row, staff, facilities, activity, era)
        for row in schemes
        if not Scheme.objects.filter(plan=plan, code=row[0]).exists()
    ]
    officer, manager = staff["officer"], staff["manager"]
    if plan.status == Plan.Status.DRAFT:
        services.plan_transition(plan_id=plan.pk, name="submit", user=officer)
    if plan.status != Plan.Status.APPROVED:
        decision = {k: values[k] for k in DECISION}
        plan = services.plan_transition(
            plan_id=plan.pk, name="approve", user=manager, approving_body="", **decision
        )
    for number, row in enumerate(schemes, start=1):
        for scheme, links in proposed:
            if scheme.code == row[0]:
                _carry_scheme(plan, scheme, links, number, row, staff, era)
    return plan


def _district_staff(facility, staff):
    """The 2022 district staff whose district holds the facility."""
    return next(
        user for user in staff["district"].values() if facility.unit.path.startswith(user.unit.path)
    )


def _request(
    facility, activity, year, support, counterpart, created_by, *, flags=(), complete=True
):
    request = SupportRequest(
        facility=facility,
        year=year,
        activity_type=activity,
        content=f"Đề nghị hỗ trợ: {activity.name.lower()}",
        total_cost=support + counterpart,
        support_requested=support,
        counterpart=counterpart,
        created_by=created_by,
        **{flag: True for flag in flags},
    )
    request.full_clean()
    authored(request, request.created_by).save()
    _attach_dossier(request, complete=complete)
    return request


# A one-page blank PDF stands for each scanned dossier document of the demo.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _attach_dossier(request, *, complete):
    """The dossier of a demo request; an incomplete one lacks its last required document."""
    kinds = list(DocumentKind.objects.required_for(request.activity_type))
    if not complete:
        kinds = kinds[:-1]
    for kind in kinds:
        document_add(
            facility=request.facility,
            request=request,
            kind=kind,
            upload=ContentFile(DEMO_PDF, name=f"{kind.code}.pdf"),
            user=request.created_by,
        )


def _propose_scheme(plan, row, staff, facilities, activity, era):
    """The officer's proposal: the scheme, its beneficiaries (each from its request) and its
    items, which sum to its budget and counterpart (one item of its activity if the row names
    none). Returns the scheme and its beneficiaries."""
    code, title, kind, act, unit_code, start, end, budget, _stage, beneficiaries, items = row
    officer = staff["officer"]
    scheme = Scheme(
        plan=plan,
        code=code,
        title=title,
        kind=kind,
        activity_type=activity[act],
        unit=AdministrativeUnit.objects.latest_with_code(unit_code),
        implementing_body=era.centre,
        start_date=start,
        end_date=end,
        budget=budget,
        counterpart_budget=sum(c for _f, _s, c in beneficiaries),
    )
    scheme.full_clean()
    authored(scheme, officer).save()
    links = []
    for key, support, counterpart in beneficiaries:
        requester = era.requester(facilities[key])
        request = _request(
            facilities[key],
            activity[act],
            era.year,
            support,
            counterpart,
            requester,
            flags=("local_strength",),
        )
        request_transition(request_id=request.pk, name="submit", user=requester)
        # As the plan builder does: the request enters the plan with its link to the scheme.
        run_transition(SupportRequest, request.pk, "include", officer, from_service=True)
        links.append(
            services.beneficiary_add(
                scheme=scheme,
                facility=facilities[key],
                user=officer,
                support_amount=support,
                counterpart=counterpart,
                request=request,
            )
        )
    # After its beneficiaries: a cap per facility counts them.
    items = items or [(act, title[:500], budget, scheme.counterpart_budget)]
    for item_act, description, amount, counterpart in items:
        services.scheme_item_add(
            scheme=scheme,
            user=officer,
            activity_type=activity[item_act],
            description=description,
            support_amount=amount,
            counterpart=counterpart,
        )
    return scheme, links


def _carry_scheme(plan, scheme, links, number, row, staff, era):
    """Take a proposed scheme through the life cycle to the stage of its row."""
    code, _title, _kind, _act, _unit, start, end, budget, stage, _beneficiaries, _items = row
    officer, manager = staff["officer"], staff["manager"]

    def step(name, user, **kwargs):
        services.scheme_transition(scheme_id=scheme.pk, name=name, user=user, **kwargs)

    step("submit", officer)
    if stage < data.APPROVED:
        return
    step(
        "approve",
        manager,
        decision_number=f"{100 + number}/QĐ-SCT",
        decision_date=plan.decision_date + 20 * DAY,
    )
    _attach(scheme, officer, "DA-QD", "DA-TM")
    if stage < data.CONTRACTED:
        return
    contracts = _sign_contracts(scheme, links, officer, era)
    for link in links:
        _attach(scheme, officer, "TH-HD", "TH-CK", beneficiary=link)
    step("mark_contracted", officer)
    for contract in contracts:
        services.disbursement_record(
            contract=contract,
            user=officer,
            kind=Disbursement.Kind.ADVANCE,
            paid_on=contract.signed_on + 10 * DAY,
            amount=contract.value // 2,
            document_number=f"UNC-{contract.number}",
        )
    if stage < data.IN_PROGRESS:
        return
    step("start", officer)
    services.inspection_record(
        scheme=scheme,
        user=officer,
        inspected_on=start + 60 * DAY,
        inspectors=era.inspectors,
        progress_percent=40,
        findings="Cơ sở đã nhận một phần thiết bị, đang lắp đặt.",
        next_step="Hoàn thành lắp đặt, chạy thử.",
    )
    if code in era.problems:
        inspected_on, problem = era.problems[code]
        services.inspection_record(
            scheme=scheme,
            user=officer,
            inspected_on=inspected_on,
            inspectors=era.centre,
            progress_percent=45,
            findings="Thiết bị đã đặt hàng, chưa giao.",
            problems=problem,
            next_step="Chờ thông tuyến đường; đề nghị gia hạn thời gian thực hiện.",
        )
    if stage < data.AWAITING:
        return
    # What a request for acceptance asks: the work done, no problem left, the dossier complete.
    services.inspection_record(
        scheme=scheme,
        user=officer,
        inspected_on=end - 10 * DAY,
        inspectors=era.inspectors,
        progress_percent=100,
        findings="Đã lắp đặt, chạy thử đạt yêu cầu; cơ sở đưa vào sản xuất.",
        next_step="Đề nghị nghiệm thu.",
    )
    _attach(scheme, officer, "DA-BC")
    for link in links:
        _attach(scheme, officer, "TH-HDON", beneficiary=link)
    step("request_acceptance", officer)
    if stage < data.ACCEPTED:
        return
    held_on = end - 5 * DAY
    services.acceptance_record(
        scheme=scheme,
        user=officer,
        held_on=held_on,
        committee=era.committee,
        result=Acceptance.Result.PASSED,
        accepted_amount=budget,
        note="Thiết bị hoạt động ổn định, đúng chủng loại và công suất.",
        minutes=ContentFile(DEMO_PDF, name="bien-ban-nghiem-thu.pdf"),
    )
    step("accept", manager)
    for contract in contracts:
        services.disbursement_record(
            contract=contract,
            user=officer,
            kind=Disbursement.Kind.PAYMENT,
            paid_on=held_on + 10 * DAY,
            amount=contract.value - contract.value // 2,
            document_number=f"UNC-TT-{contract.number}",
        )


def _attach(scheme, officer, *codes, beneficiary=None):
    """Demo files for the named documents of a scheme's (or a beneficiary's) dossier, where the
    dossier asks for them."""
    applies_to = "beneficiary" if beneficiary else "scheme"
    for kind in DocumentKind.objects.required_for(scheme.activity_type, applies_to):
        if kind.code in codes:
            services.scheme_document_add(
                scheme=scheme,
                beneficiary=beneficiary,
                kind=kind,
                upload=ContentFile(DEMO_PDF, name=f"{kind.code}.pdf"),
                user=officer,
            )


def _sign_contracts(scheme, links, officer, era):
    start = scheme.start_date
    if not links:  # a selection event or a task: one contract for its whole budget
        party = era.event_party if scheme.kind != "task" else era.task_party
        return [
            services.contract_sign(
                scheme=scheme,
                user=officer,
                number=f"{scheme.code}/HĐ",
                signed_on=start,
                value=scheme.budget,
                party_name=party,
            )
        ]
    return [
        services.contract_sign(
            scheme=scheme,
            user=officer,
            number=f"{scheme.code}/HĐ-{i:02d}",
            signed_on=start,
            value=link.support_amount,
            party_name=link.facility.name,
            beneficiary=link,
            end_date=scheme.end_date,
        )
        for i, link in enumerate(links, start=1)
    ]


def _load_requests_2023(facilities, activity, staff):
    load_requests(
        data.REQUESTS_2023,
        2023,
        facilities,
        activity,
        staff["officer"],
        lambda facility: _district_staff(facility, staff),
    )


def load_requests(rows, year, facilities, activity, officer, requester):
    """Requests for next year's plan, each at its step (a rejected one with its reason), filed
    by `requester(facility)`."""
    for key, act, support, cost, flags, state, *reason in rows:
        facility = facilities[key]
        if facility.requests.filter(year=year).exists():
            continue
        district_user = requester(facility)
        request = _request(
            facility,
            activity[act],
            year,
            support,
            cost - support,
            district_user,
            flags=flags,
            complete=state != "draft",
        )
        if state == "draft":
            continue
        request_transition(request_id=request.pk, name="submit", user=district_user)
        if state == "under_review":
            request_transition(request_id=request.pk, name="start_review", user=officer)
        elif state == "rejected":
            request_transition(
                request_id=request.pk,
                name="reject",
                user=officer,
                reason=reason[0],
            )
