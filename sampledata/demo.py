"""Loads the demo province (Hà Giang, 2022). Safe to run again: what exists is left as it is.

Every record past the first step is made through the same services the screens use, so the demo
also shows the life cycles working.
"""

import datetime

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import transaction

from beneficiaries.models import DocumentKind, Facility, Sector, SupportRequest
from beneficiaries.reference import ensure_document_kinds, ensure_sectors
from beneficiaries.services import document_add, request_transition
from khuyencong.models import ActivityType, AdministrativeUnit, FundingSource, User
from khuyencong.reference import ensure_reference_lists
from khuyencong.saving import authored
from khuyencong.workflow import run_transition
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
        ensure_support_rules()
        province, districts, communes = _load_units()
        staff = _load_users(province, districts)
        facilities = _load_facilities(communes, staff["officer"])
        activity = {a.code: a for a in ActivityType.objects.all()}
        for source, plan_data, schemes in (
            ("KCQG", data.NATIONAL_PLAN, data.NATIONAL_SCHEMES),
            ("KCDP", data.LOCAL_PLAN, data.LOCAL_SCHEMES),
        ):
            plan = _load_plan(province, source, plan_data)
            for number, row in enumerate(schemes, start=1):
                _load_scheme(plan, number, row, staff, facilities, activity, districts)
        _load_requests_2023(facilities, activity, staff)
        Plan.objects.get_or_create(
            unit=province,
            year=2023,
            funding_source=FundingSource.objects.get(code="KCDP"),
            defaults=data.DRAFT_PLAN_2023,
        )
    return [
        (u.username, u.get_role_display(), u.unit.name if u.unit else "—") for u in staff["all"]
    ]


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
    for code, name, old_codes in units.SUCCESSORS:
        new = _unit(code, name, L.COMMUNE, new_province, valid_from=units.MERGER_DAY)
        AdministrativeUnit.objects.filter(pk__in=[communes[c].pk for c in old_codes]).update(
            successor=new
        )
    AdministrativeUnit.objects.filter(pk=province.pk).update(successor=new_province)
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
    R = User.Role
    officer = _user(
        "officer",
        R.OFFICER,
        province,
        "Thị Thu",
        "Nguyễn",
        job_title="Cán bộ Trung tâm Khuyến công – XTCT",
    )
    manager = _user(
        "manager", R.MANAGER, province, "Văn Bình", "Hoàng", job_title="Phó Giám đốc Sở Công Thương"
    )
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


def _load_facilities(communes, officer):
    sectors = {s.code: s for s in Sector.objects.all()}
    result = {}
    for key, row in data.FACILITIES.items():
        name, kind, sector, commune, owner, tax_code, phone, workers, products = row
        facility = Facility.objects.filter(name=name, unit=communes[commune]).first()
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


def _load_plan(province, source_code, values):
    plan, _ = Plan.objects.get_or_create(
        unit=province,
        year=2022,
        funding_source=FundingSource.objects.get(code=source_code),
        defaults={**values, "status": Plan.Status.APPROVED},
    )
    return plan


def _request(
    facility, activity, year, support, counterpart, staff, districts, *, flags=(), complete=True
):
    district_code = next(
        code for code, d in districts.items() if facility.unit.path.startswith(d.path)
    )
    request = SupportRequest(
        facility=facility,
        year=year,
        activity_type=activity,
        content=f"Đề nghị hỗ trợ: {activity.name.lower()}",
        total_cost=support + counterpart,
        support_requested=support,
        counterpart=counterpart,
        created_by=staff["district"][district_code],
        **{flag: True for flag in flags},
    )
    request.full_clean()
    authored(request, request.created_by).save()
    _attach_dossier(request, complete=complete)
    return request, staff["district"][district_code]


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


def _load_scheme(plan, number, row, staff, facilities, activity, districts):
    code, title, kind, act, unit_code, start, end, budget, stage, beneficiaries, items = row
    if Scheme.objects.filter(plan=plan, code=code).exists():
        return
    officer, manager = staff["officer"], staff["manager"]
    scheme = Scheme(
        plan=plan,
        code=code,
        title=title,
        kind=kind,
        activity_type=activity[act],
        unit=AdministrativeUnit.objects.get(code=unit_code, valid_from=None),
        implementing_body=data.CENTRE,
        start_date=start,
        end_date=end,
        budget=budget,
        counterpart_budget=sum(c for _f, _s, c in beneficiaries),
    )
    scheme.full_clean()
    authored(scheme, officer).save()
    for item_act, description, amount in items:
        services.scheme_item_add(
            scheme=scheme,
            user=officer,
            activity_type=activity[item_act],
            description=description,
            support_amount=amount,
        )
    links = []
    for key, support, counterpart in beneficiaries:
        request, district_user = _request(
            facilities[key],
            activity[act],
            2022,
            support,
            counterpart,
            staff,
            districts,
            flags=("local_strength",),
        )
        request_transition(request_id=request.pk, name="submit", user=district_user)
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

    def step(name, user, **kwargs):
        services.scheme_transition(scheme_id=scheme.pk, name=name, user=user, **kwargs)

    step(
        "approve",
        manager,
        decision_number=f"{100 + number}/QĐ-SCT",
        decision_date=plan.decision_date + 20 * DAY,
    )
    _attach(scheme, officer, "DA-QD", "DA-TM")
    if stage < data.CONTRACTED:
        return
    contracts = _sign_contracts(scheme, links, officer)
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
        inspectors="Trung tâm Khuyến công – XTCT; Phòng Kinh tế và Hạ tầng huyện",
        progress_percent=40,
        findings="Cơ sở đã nhận một phần thiết bị, đang lắp đặt.",
        next_step="Hoàn thành lắp đặt, chạy thử.",
    )
    if code == "ĐP-2022-07":
        services.inspection_record(
            scheme=scheme,
            user=officer,
            inspected_on=datetime.date(2022, 9, 14),
            inspectors="Trung tâm Khuyến công – XTCT",
            progress_percent=45,
            findings="Thiết bị đã đặt hàng, chưa giao.",
            problems=data.LANDSLIDE,
            next_step="Chờ thông tuyến đường; đề nghị gia hạn thời gian thực hiện.",
        )
    if stage < data.AWAITING:
        return
    step("request_acceptance", officer)
    if stage < data.ACCEPTED:
        return
    held_on = end - 5 * DAY
    services.acceptance_record(
        scheme=scheme,
        user=officer,
        held_on=held_on,
        committee="Sở Công Thương; Trung tâm Khuyến công – XTCT; Phòng Kinh tế và Hạ tầng; "
        "đại diện cơ sở thụ hưởng",
        result=Acceptance.Result.PASSED,
        accepted_amount=budget,
        note="Thiết bị hoạt động ổn định, đúng chủng loại và công suất.",
        minutes=ContentFile(DEMO_PDF, name="bien-ban-nghiem-thu.pdf"),
    )
    _attach(scheme, officer, "DA-BC")
    for link in links:
        _attach(scheme, officer, "TH-HDON", beneficiary=link)
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


def _sign_contracts(scheme, links, officer):
    start = scheme.start_date
    if not links:  # a selection event or a task: one contract for its whole budget
        party = (
            "Công ty TNHH Sự kiện và Truyền thông Hà Giang"
            if scheme.kind != "task"
            else ("Phòng Quản lý khuyến công, Trung tâm Khuyến công – XTCT")
        )
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
    districts = {code: user.unit for code, user in staff["district"].items()}
    for key, act, support, cost, flags, state in data.REQUESTS_2023:
        facility = facilities[key]
        if facility.requests.filter(year=2023).exists():
            continue
        request, district_user = _request(
            facility,
            activity[act],
            2023,
            support,
            cost - support,
            staff,
            districts,
            flags=flags,
            complete=state != "draft",
        )
        officer = staff["officer"]
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
                reason="Cơ sở đã được hỗ trợ máy móc cùng nội dung năm 2022 (đề án QG-2022-02).",
            )
