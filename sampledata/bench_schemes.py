"""The plans and schemes of a bench province (sampledata/bench.py): six years of national and
local plans, each scheme carried along its life cycle up to AS_OF — beneficiaries and the
requests they came from, contracts, payments, inspections, acceptance — with the mishaps the
portal watches for: late schemes, schemes unvisited for months, landslides, cancellations."""

import datetime
from collections import Counter
from dataclasses import dataclass

from beneficiaries.models import SupportRequest
from schemes.models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    Scheme,
    SchemeBeneficiary,
    SchemeItem,
)
from schemes.services import ADVANCE_PERCENT

from . import bench_words as words
from .demo_units import MERGER_DAY

# The programme's calendar
YEARS = range(2021, 2027)  # the plans
NEXT_YEAR = 2027  # requests being gathered for the next plan
AS_OF = datetime.date(2026, 11, 20)  # the data's "today": life cycles stop here
DAY = datetime.timedelta(days=1)

S = Scheme.Status
LIFE = [  # a scheme's statuses in order; cancelled stands aside
    S.PROPOSED,
    S.APPROVED,
    S.CONTRACTED,
    S.IN_PROGRESS,
    S.AWAITING_ACCEPTANCE,
    S.ACCEPTED,
    S.SETTLED,
]
PROPOSED, APPROVED, CONTRACTED, IN_PROGRESS, AWAITING, ACCEPTED, SETTLED = range(len(LIFE))
KIND_WEIGHTS = {  # (national, local)
    Scheme.Kind.SINGLE: (35, 62),
    Scheme.Kind.GROUP: (45, 25),
    Scheme.Kind.PILOT: (15, 0),
    Scheme.Kind.TASK: (5, 13),
}
# Support per facility in millions of đồng, by kind of scheme (national ones ×1.5)
SUPPORT_MILLIONS = {Scheme.Kind.SINGLE: (60, 400), Scheme.Kind.PILOT: (400, 1200)}
SUPPORT_MILLIONS[Scheme.Kind.GROUP] = (30, 150)


def round_up(amount, step):
    return -(-amount // step) * step


def in_text(name):
    """A unit's name inside a sentence: 'Huyện Bắc Mê' → 'huyện Bắc Mê'."""
    return name[:1].lower() + name[1:]


@dataclass
class Timeline:
    """The day a scheme reaches each status of LIFE, were nothing to go wrong."""

    proposed: datetime.date
    approved: datetime.date
    start: datetime.date  # contracts signed
    started: datetime.date
    end: datetime.date
    accepted: datetime.date
    settled: datetime.date

    def days(self):
        return [
            self.proposed,
            self.approved,
            self.start,
            self.started,
            self.end,
            self.accepted,
            self.settled,
        ]

    def stage(self):
        """The index in LIFE of the status reached by AS_OF."""
        return max(i for i, day in enumerate(self.days()) if day <= AS_OF)


class Programme:
    """Builds the plans and schemes of `province` (a bench.BenchProvince, whose facilities
    exist already) with its random stream and its rows."""

    def __init__(self, province):
        self.province = province
        self.rng, self.new = province.rng, province.new  # one stream, one set of rows
        self.moment, self.day_between = province.moment, province.day_between
        self.amount = province.amount
        self.included = 0  # requests taken into a scheme

    def build(self, schemes):
        """Plans of each year and funding source with `schemes` schemes in all; returns how many
        requests were included in a scheme."""
        sizes = Counter()
        for number in range(schemes):
            year = YEARS[number % len(YEARS)]
            sizes[(year, "KCQG" if self.rng.random() < 0.25 else "KCDP")] += 1
        for year, source in sorted(sizes):
            plan = self._plan(year, source)
            live = 0
            for number in range(1, sizes[(year, source)] + 1):
                scheme = self._scheme(plan, number)
                live += scheme.budget if scheme.status != S.CANCELLED else 0
            # what the decision gave: the schemes' total and a little left for later ones
            slack = live * self.rng.randint(0, 5) // 100
            plan.budget = max(round_up(live + slack, 10_000_000), 100_000_000)
        return self.included

    def _plan(self, year, source):
        rng = self.rng
        national = source == "KCQG"
        if national:
            decided = self.day_between(datetime.date(year - 1, 12, 10), datetime.date(year, 2, 28))
        else:
            decided = self.day_between(datetime.date(year, 1, 10), datetime.date(year, 3, 31))
        province = self.province.province_on(decided)
        where = in_text(province.name)
        source_name = "quốc gia" if national else "địa phương"
        return self.new(
            Plan,
            unit_id=province.pk,
            year=year,
            funding_source_id=self.province.sources[source].pk,
            title=f"Kế hoạch khuyến công {source_name} năm {year} {where}",
            approving_body="Bộ Công Thương" if national else f"Ủy ban nhân dân {where}",
            decision_number=f"{rng.randint(100, 3500)}/QĐ-{'BCT' if national else 'UBND'}",
            decision_date=decided,
            budget=0,
            status=Plan.Status.APPROVED,
            created_at=self.moment(decided - rng.randint(20, 60) * DAY),
        )

    def _timeline(self, plan, kind):
        rng = self.rng
        later_round = rng.random() < 0.12  # schemes added to the plan later in the year
        approved = plan.decision_date + rng.randint(*((60, 300) if later_round else (10, 60))) * DAY
        proposed = min(approved - rng.randint(10, 40) * DAY, AS_OF - rng.randint(1, 10) * DAY)
        start = approved + rng.randint(7, 40) * DAY
        if kind == Scheme.Kind.PILOT:  # large, and may span years
            end = start + rng.randint(300, 480) * DAY
        else:
            end = min(start + rng.randint(120, 270) * DAY, datetime.date(plan.year, 12, 20))
            end = max(end, start + 60 * DAY)
        accepted = end + rng.randint(5, 40) * DAY
        return Timeline(
            proposed=max(proposed, plan.created_at.date()),
            approved=approved,
            start=start,
            started=start + rng.randint(5, 25) * DAY,
            end=end,
            accepted=accepted,
            settled=accepted + rng.randint(20, 100) * DAY,  # contracts close by 22 January
        )

    def _fate(self, timeline):
        """(stage reached, late, cancelled): most schemes keep to their timeline; some finished
        lately are still open past their end date, a few are cancelled early on."""
        rng = self.rng
        stage = timeline.stage()
        if rng.random() < 0.03:
            return min(stage, APPROVED), False, True
        recent = timeline.end >= AS_OF - 540 * DAY
        if stage >= ACCEPTED and recent and rng.random() < 0.15:
            return rng.choice([IN_PROGRESS, AWAITING]), True, False
        return stage, False, False

    def _scheme(self, plan, number):
        rng = self.rng
        national = plan.funding_source_id == self.province.sources["KCQG"].pk
        kinds = list(KIND_WEIGHTS)
        kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k][0 if national else 1] for k in kinds])[0]
        timeline = self._timeline(plan, kind)
        stage, late, cancelled = self._fate(timeline)
        activity, title, area, shares = self._content(kind, national, plan.year, timeline.proposed)
        province = in_text(self.province.province_on(timeline.proposed).name)
        tender = not shares and rng.random() < 0.5  # events and tasks may go to tender
        scheme = self.new(
            Scheme,
            plan_id=plan.pk,
            code=f"{'QG' if national else 'ĐP'}-{plan.year}-{number:03d}",
            title=title,
            kind=kind,
            selection=Scheme.Selection.TENDER if tender else Scheme.Selection.REVIEW,
            activity_type_id=self.province.activities[activity].pk,
            unit_id=self._scheme_unit(area, shares, timeline.proposed).pk,
            implementing_body=f"Trung tâm Khuyến công – Xúc tiến Công Thương {province}",
            start_date=timeline.start,
            end_date=timeline.end,
            budget=sum(s for _f, s, _c in shares) or self.amount(40, 300),
            counterpart_budget=sum(c for _f, _s, c in shares),
            description=rng.choice(words.GOALS),
            status=S.CANCELLED if cancelled else LIFE[stage],
            approval_number=f"{rng.randint(10, 999)}/QĐ-SCT" if stage >= APPROVED else "",
            approval_date=timeline.approved if stage >= APPROVED else None,
            cancel_reason=rng.choice(words.CANCEL_REASONS) if cancelled else "",
            settled_on=timeline.settled if stage == SETTLED else None,
            created_at=self.moment(timeline.proposed),
        )
        scheme.updated_at = max(scheme.created_at, self.moment(timeline.days()[stage]))
        self._items(scheme, activity, shares)
        links = [self._beneficiary(scheme, plan.year, *share, activity) for share in shares]
        if not cancelled and stage >= CONTRACTED:
            self._execution(scheme, links, area, timeline, stage, late)
        return scheme

    def _content(self, kind, national, year, proposed):
        """(activity, title, area, [(facility, support, counterpart)]): a task, an event run by
        a supplier, or a scheme for one facility or (a group) several of one district."""
        rng = self.rng
        if kind != Scheme.Kind.TASK and (kind != Scheme.Kind.SINGLE or rng.random() >= 0.12):
            content = self._facility_scheme(kind, national, year)
            if content:
                activity, title, area, shares = content
                if kind == Scheme.Kind.GROUP:  # named after its district while districts exist
                    place = area.district if proposed < MERGER_DAY else self.province.new_province
                    title += f" cho các cơ sở {in_text(place.name)}"
                return activity, title, area, shares
        activity, title = rng.choice(words.TASKS if kind == Scheme.Kind.TASK else words.EVENTS)
        return activity, title.format(year=year), None, []

    def _facility_scheme(self, kind, national, year):
        """(activity, title, area, [(facility, support, counterpart)]) of a scheme for
        facilities: one, or several of one district for a group scheme."""
        rng = self.rng
        size = rng.randint(3, 8) if kind == Scheme.Kind.GROUP else 1
        area, facilities = self._pick_facilities(datetime.date(year - 1, 3, 1), size)
        if not facilities:  # only at a tiny scale: no facility registered yet
            return None
        word, _products, machine = self.province.product[facilities[0].pk]
        if kind == Scheme.Kind.PILOT:
            activity = "03.1"
        else:
            codes = list(words.FACILITY_ACTIVITIES)
            weights = [words.FACILITY_ACTIVITIES[c][0] for c in codes]
            activity = rng.choices(codes, weights=weights)[0]
        title = words.FACILITY_ACTIVITIES[activity][1].format(machine=machine, product=word)
        if kind != Scheme.Kind.GROUP:
            title += f" tại {facilities[0].name}"
        low, high = SUPPORT_MILLIONS[kind]
        if national:
            low, high = low * 3 // 2, high * 3 // 2
        shares = []
        for facility in facilities:
            support = self.amount(low, high)
            shares.append((facility, support, support * rng.randint(80, 200) // 100_000 * 1000))
        return activity, title, area, shares

    def _pick_facilities(self, registered_before, size):
        """`size` distinct facilities (fewer where the district has fewer) of one district that
        were registered before the day requests for the plan were written."""
        rng = self.rng
        candidates = [a for a in self.province.areas if a.registered_before(registered_before)]
        if not candidates:
            return None, []
        area = rng.choice(candidates)
        known = area.registered_before(registered_before)
        picked = rng.sample(range(known), min(size, known))
        return area, [area.facilities[i][1] for i in picked]

    def _scheme_unit(self, area, shares, day):
        """Where the scheme sits: the facility's district (its new commune after the merger),
        the district of a group, or the province for tasks and events."""
        if area is None or (day >= MERGER_DAY and len(shares) > 1):
            return self.province.province_on(day)
        if day >= MERGER_DAY:
            return self.province.current_unit(shares[0][0].unit_id)
        return area.district

    def _items(self, scheme, activity, shares):
        """The scheme's lines: its main activity, and sometimes a packaging design beside it."""
        extra = 0
        if shares and activity != "05.2" and self.rng.random() < 0.3:
            extra = min(scheme.budget // 4000 * 1000, self.amount(15, 40))
            self.new(
                SchemeItem,
                scheme_id=scheme.pk,
                activity_type_id=self.province.activities["05.2"].pk,
                description="Thiết kế mẫu mã, bao bì sản phẩm",
                support_amount=extra,
                created_at=scheme.created_at,
            )
        machine = self.province.product[shares[0][0].pk][2] if shares and activity == "03.3" else ""
        self.new(
            SchemeItem,
            scheme_id=scheme.pk,
            activity_type_id=self.province.activities[activity].pk,
            description=machine.capitalize() if machine else scheme.title,
            support_amount=scheme.budget - extra,
            counterpart_amount=scheme.counterpart_budget,
            created_at=scheme.created_at,
        )

    def _beneficiary(self, scheme, year, facility, support, counterpart, activity):
        """A facility in the scheme and the request it came from, now included in the plan."""
        rng = self.rng
        written = self.day_between(datetime.date(year - 1, 3, 1), datetime.date(year - 1, 5, 20))
        asked = support + support * rng.randint(0, 20) // 100_000 * 1000  # often cut on review
        request = self.province.request(
            facility, year, activity, asked, counterpart, SupportRequest.Status.INCLUDED, written
        )
        link = self.new(
            SchemeBeneficiary,
            scheme_id=scheme.pk,
            facility_id=facility.pk,
            request_id=request.pk,
            support_amount=support,
            counterpart_amount=counterpart,
            no_other_state_funding=True,
            created_at=scheme.created_at,
        )
        self.included += 1
        return link, facility

    # What happens once a scheme is contracted

    def _execution(self, scheme, links, area, timeline, stage, late):
        contracts = self._contracts(scheme, links, timeline, stage)
        accepted = sum(self._payments(c, timeline, stage) for c in contracts)
        offices = self._offices(area, links)
        self._inspections(scheme, timeline, stage, late, offices)
        self._acceptance(scheme, timeline, stage, accepted, offices)

    def _contracts(self, scheme, links, timeline, stage):
        """One contract per beneficiary, or one with a supplier for the whole budget."""
        common = {
            "scheme_id": scheme.pk,
            "signed_on": timeline.start,
            "end_date": timeline.end,
            "closed_on": timeline.settled if stage == SETTLED else None,
            "created_at": self.moment(timeline.start + self.rng.randint(0, 3) * DAY),
        }
        if links:
            return [
                self.new(
                    Contract,
                    number=f"{scheme.code}/HĐ-{i:02d}",
                    value=link.support_amount,
                    beneficiary_id=link.pk,
                    party_name=facility.name,
                    **common,
                )
                for i, (link, facility) in enumerate(links, start=1)
            ]
        if scheme.kind == Scheme.Kind.TASK:
            supplier = "Phòng Quản lý khuyến công, Trung tâm Khuyến công – XTCT"
        else:
            supplier = self.rng.choice(words.SUPPLIERS).format(
                brand=self.rng.choice(words.BRANDS),
                province=self.province.province_on(timeline.start).name,
            )
        return [
            self.new(
                Contract,
                number=f"{scheme.code}/HĐ",
                value=scheme.budget,
                party_name=supplier,
                **common,
            )
        ]

    def _payments(self, contract, timeline, stage):
        """Advance, payment and settlement on a contract, never above its value; returns what
        acceptance found due on it (0 before acceptance)."""
        rng = self.rng
        value, advance = contract.value, 0
        advanced_on = contract.signed_on + rng.randint(5, 20) * DAY
        if advanced_on <= AS_OF and rng.random() < 0.7:
            # at most ADVANCE_PERCENT % before acceptance (Thông tư 36/2013/TT-BCT)
            advance = value * rng.randint(30, ADVANCE_PERCENT) // 100_000 * 1000
            self._disburse(contract, Disbursement.Kind.ADVANCE, advanced_on, advance)
        if stage < ACCEPTED:
            return 0
        due = value if rng.random() < 0.7 else value * rng.randint(90, 100) // 100_000 * 1000
        if stage == ACCEPTED and advance and rng.random() < 0.1:
            # acceptance cut the amount below what was advanced: the "over-disbursed" risk
            due = value // 2000 * 1000
        rest = due - advance
        paid_on = timeline.accepted + rng.randint(3, 14) * DAY
        if stage == SETTLED:
            final = rest if rng.random() < 0.5 else rest // 10_000 * 1000
            if rest > final > 0:
                self._disburse(contract, Disbursement.Kind.PAYMENT, paid_on, rest - final)
            if final > 0:
                self._disburse(contract, Disbursement.Kind.SETTLEMENT, timeline.settled, final)
        elif rest > 0 and paid_on <= AS_OF and rng.random() < 0.6:
            self._disburse(contract, Disbursement.Kind.PAYMENT, paid_on, rest)
        return due

    def _disburse(self, contract, kind, paid_on, amount):
        self.new(
            Disbursement,
            contract_id=contract.pk,
            kind=kind,
            paid_on=paid_on,
            amount=amount,
            document_number=f"UNC-{paid_on:%y%m%d}-{contract.pk}",
            created_at=self.moment(paid_on),
        )

    def _offices(self, area, links):
        """The local office that joins inspections and acceptance: (before, after) 1/7/2025."""
        if area is None:
            return "Văn phòng Sở Công Thương", "Văn phòng Sở Công Thương"
        facility = links[0][1]
        return area.office, f"UBND {in_text(self.province.current_unit(facility.unit_id).name)}"

    def _inspections(self, scheme, timeline, stage, late, offices):
        """Visits from the start of the work; a scheme in progress is usually seen within the
        last 90 days, but a quarter of them have gone unvisited for longer."""
        rng = self.rng
        first = timeline.started + 15 * DAY
        last = AS_OF if stage == IN_PROGRESS else min(timeline.end, AS_OF)
        quiet = stage == IN_PROGRESS and rng.random() < 0.25
        if quiet:
            last = min(last, AS_OF - 95 * DAY)
        if last < first:
            return
        count = min(rng.randint(1, 3), 1 + (last - first).days // 30)
        days = sorted(self.day_between(first, last) for _ in range(count))
        if stage == IN_PROGRESS and not quiet:
            days[-1] = self.day_between(max(first, AS_OF - 80 * DAY), AS_OF)
            days.sort()
        for number, day in enumerate(days, start=1):
            newest = number == count and stage in (IN_PROGRESS, AWAITING)
            chance = (0.6 if late else 0.15) if newest else 0.06
            problem = rng.random() < chance
            span = max(1, (timeline.end - timeline.started).days)
            progress = max(5, min(100, 100 * (day - timeline.started).days // span))
            if late or problem:
                progress = min(progress, rng.randint(40, 85))
            office = offices[0] if day < MERGER_DAY else offices[1]
            self.new(
                Inspection,
                scheme_id=scheme.pk,
                inspected_on=day,
                inspectors=f"Trung tâm Khuyến công – XTCT; {office}",
                progress_percent=progress,
                findings=rng.choice(words.FINDINGS),
                problems=rng.choices(words.PROBLEMS, words.PROBLEM_WEIGHTS)[0] if problem else "",
                next_step=rng.choice(words.NEXT_STEPS),
                created_at=self.moment(day + rng.randint(0, 3) * DAY),
            )

    def _acceptance(self, scheme, timeline, stage, accepted, offices):
        """A passed review for accepted and settled schemes; sometimes a failed one first."""
        rng = self.rng
        failed_on = timeline.end + rng.randint(10, 25) * DAY
        before = AS_OF + DAY if stage < ACCEPTED else min(AS_OF + DAY, timeline.accepted)
        if stage >= AWAITING and failed_on < before and rng.random() < 0.08:
            self._review(scheme, failed_on, Acceptance.Result.FAILED, 0, offices)
        if stage >= ACCEPTED:
            self._review(scheme, timeline.accepted, Acceptance.Result.PASSED, accepted, offices)

    def _review(self, scheme, day, result, amount, offices):
        passed = result == Acceptance.Result.PASSED
        self.new(
            Acceptance,
            scheme_id=scheme.pk,
            held_on=day,
            committee=words.COMMITTEE.format(office=offices[0] if day < MERGER_DAY else offices[1]),
            result=result,
            accepted_amount=amount,
            note=self.rng.choice(words.ACCEPTANCE_NOTES) if passed else words.FAILED_ACCEPTANCE,
            created_at=self.moment(day + self.rng.randint(0, 3) * DAY),
        )
