"""Factories for every model (factory-boy), shaped like the demo province's records."""

import datetime

import factory
from factory.django import DjangoModelFactory

from beneficiaries.models import Document, DocumentKind, Facility, Sector, SupportRequest
from khuyencong.models import ActivityType, AdministrativeUnit, FundingSource, User
from reports.models import QuarterlyReport, ReportSigner
from sampledata.demo import DEMO_PDF
from schemes.models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    Scheme,
    SchemeBeneficiary,
    SchemeDocument,
    SchemeItem,
)

PASSWORD = "mat-khau-thu-nghiem-123"


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"P{n:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    level = AdministrativeUnit.Level.PROVINCE


class DistrictFactory(ProvinceFactory):
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    level = AdministrativeUnit.Level.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(ProvinceFactory):
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    level = AdministrativeUnit.Level.COMMUNE
    parent = factory.SubFactory(DistrictFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn"
    last_name = "Nguyễn"
    role = User.Role.DISTRICT
    unit = factory.SubFactory(DistrictFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = "CBNLS"
    name = "Chế biến nông, lâm sản, thực phẩm"


class ActivityTypeFactory(DjangoModelFactory):
    class Meta:
        model = ActivityType
        django_get_or_create = ("code",)

    code = "03.3"
    name = "Ứng dụng máy móc thiết bị tiên tiến vào sản xuất"


class FundingSourceFactory(DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ("code",)

    code = "KCQG"
    short_name = "KCQG"
    name = "Khuyến công quốc gia"


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Hợp tác xã chè Bắc Quang số {n}")
    kind = Facility.Kind.COOPERATIVE
    sector = factory.SubFactory(SectorFactory)
    unit = factory.SubFactory(CommuneFactory)
    owner_name = "Hoàng Thị Mai"
    address = "Thôn Tân Thành"
    tax_code = factory.Sequence(lambda n: f"51{n:08d}")
    phone = "0912345678"
    workers = 12


class SupportRequestFactory(DjangoModelFactory):
    class Meta:
        model = SupportRequest
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    year = 2023
    activity_type = factory.SubFactory(ActivityTypeFactory)
    content = "Máy sao chè"
    total_cost = 300_000_000
    support_requested = 150_000_000
    counterpart = 150_000_000

    @factory.post_generation
    def dossier(obj, create, extracted, **kwargs):
        """Every required document, unless built with dossier=False."""
        if create and extracted is not False:
            for kind in DocumentKind.objects.required_for(obj.activity_type):
                DocumentFactory(facility=obj.facility, request=obj, kind=kind)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    facility = factory.SubFactory(FacilityFactory)
    request = None
    kind = None
    title = factory.LazyAttribute(lambda d: d.kind.name if d.kind else "Ảnh nhà xưởng")
    file = factory.django.FileField(data=DEMO_PDF, filename="ho-so.pdf")
    content_type = "application/pdf"
    size = len(DEMO_PDF)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    unit = factory.SubFactory(ProvinceFactory)
    year = 2022
    funding_source = factory.SubFactory(FundingSourceFactory)
    title = "Kế hoạch khuyến công quốc gia năm 2022"
    approving_body = "Bộ Công Thương"
    decision_number = "245/QĐ-BCT"
    decision_date = datetime.date(2022, 2, 18)
    budget = 1_200_000_000
    status = Plan.Status.APPROVED


class SchemeFactory(DjangoModelFactory):
    class Meta:
        model = Scheme

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"QG-2022-{n:02d}")
    title = "Hỗ trợ ứng dụng máy sao chè"
    kind = Scheme.Kind.SINGLE
    activity_type = factory.SubFactory(ActivityTypeFactory)
    unit = factory.LazyAttribute(lambda o: o.plan.unit)
    implementing_body = "Trung tâm Khuyến công – XTCT"
    start_date = datetime.date(2022, 4, 1)
    end_date = datetime.date(2022, 11, 30)
    budget = 600_000_000


class SchemeItemFactory(DjangoModelFactory):
    class Meta:
        model = SchemeItem

    scheme = factory.SubFactory(SchemeFactory)
    activity_type = factory.SubFactory(ActivityTypeFactory)
    description = "Máy sao chè"
    support_amount = 100_000_000


class SchemeBeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = SchemeBeneficiary

    scheme = factory.SubFactory(SchemeFactory)
    facility = factory.SubFactory(FacilityFactory)
    support_amount = 200_000_000
    counterpart_amount = 220_000_000
    no_other_state_funding = True  # the declaration every beneficiary signs


class SchemeDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SchemeDocument

    scheme = factory.SubFactory(SchemeFactory)
    title = factory.LazyAttribute(lambda d: d.kind.name if d.kind else "Tài liệu")
    file = factory.django.FileField(data=DEMO_PDF, filename="ho-so.pdf")
    content_type = "application/pdf"
    size = len(DEMO_PDF)


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    scheme = factory.SubFactory(SchemeFactory)
    party_name = "Hợp tác xã chè Phong Quang"
    number = factory.Sequence(lambda n: f"{n:02d}/2022/HĐ-KC")
    signed_on = datetime.date(2022, 5, 1)
    value = 200_000_000


class DisbursementFactory(DjangoModelFactory):
    class Meta:
        model = Disbursement

    contract = factory.SubFactory(ContractFactory)
    kind = Disbursement.Kind.ADVANCE
    paid_on = datetime.date(2022, 5, 10)
    amount = 100_000_000


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    scheme = factory.SubFactory(SchemeFactory)
    inspected_on = datetime.date(2022, 8, 1)
    inspectors = "Trung tâm Khuyến công"
    progress_percent = 40


class AcceptanceFactory(DjangoModelFactory):
    class Meta:
        model = Acceptance

    scheme = factory.SubFactory(SchemeFactory)
    held_on = datetime.date(2022, 11, 20)
    committee = "Sở Công Thương; Trung tâm Khuyến công"
    result = Acceptance.Result.PASSED
    accepted_amount = 500_000_000


class QuarterlyReportFactory(DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    year = 2022
    quarter = 4
    unit = factory.SubFactory(ProvinceFactory)


class ReportSignerFactory(DjangoModelFactory):
    """Who signs a unit's quarterly reports, kept in the admin."""

    class Meta:
        model = ReportSigner

    unit = factory.SubFactory(ProvinceFactory)
    title = "GIÁM ĐỐC"
    name = "Nguyễn Văn Thử"


class NotificationFactory(DjangoModelFactory):
    """A reminder of the duties app: an overdue contract closing by default."""

    class Meta:
        model = "duties.Notification"

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"contract-closing:{n}")
    stage = "overdue"
    kind = "contract_closing"
    title = "Thanh lý hợp đồng 01/2022/HĐ-KC – Hợp tác xã chè Phong Quang"
    due_on = datetime.date(2023, 1, 22)
    url = "/schemes/1/#hop-dong"


def submitted(scheme, user=None):
    """The scheme as the officer submits it for approval: its items sum to its budget and its
    counterpart (if it has none, one item of an activity no cap rules, so that any budget
    passes), then `submit` through the service. Returns the fresh scheme."""
    from schemes import services

    if not scheme.items.exists():
        SchemeItemFactory(
            scheme=scheme,
            activity_type=ActivityTypeFactory(code="99.1", name="Hạng mục thử, không định mức"),
            support_amount=scheme.budget,
            counterpart_amount=scheme.counterpart_budget,
        )
    officer = user or UserFactory(role=User.Role.OFFICER, unit=scheme.plan.unit)
    return services.scheme_transition(scheme_id=scheme.pk, name="submit", user=officer)
