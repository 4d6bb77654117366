"""Core data: administrative units, staff and their scope, programme-wide reference lists."""

import contextlib
import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from . import roles
from .dates import format_date_vn, future_fact_errors, today
from .scope import VisibleToMixin, in_unit_q
from .text import nfc, search_key
from .uploads import DOCUMENT_TYPES, check_upload, display_name, stored_name


class NormalizedModel(models.Model):
    """Stores every text field NFC-normalised, so that equal Vietnamese text compares equal;
    and refuses a date of `fact_dates` after today wherever the record is checked: the model's
    forms, the services and the life-cycle steps all call full_clean."""

    # The dates of what has happened (paid, signed, inspected, decided on): never after today.
    fact_dates: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Validate the text as it will be stored: NFC makes a few characters longer (क़ is
        # stored as क + ◌़), so max_length is checked on the normalised text.
        self.normalize_text()
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        # A date already refused (not a date at all) is not compared with today.
        for name, error in future_fact_errors(self, {*(exclude or ()), *errors}).items():
            errors[name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def prepare_for_save(self):
        """What save() does before writing; bulk writes (imports) call it themselves."""
        self.normalize_text()
        self.fill_derived()

    def fill_derived(self):
        """The columns computed from the others (search text, name keys): none here."""

    def normalize_text(self):
        for attname in self._text_attnames():
            value = getattr(self, attname)
            if isinstance(value, str):
                setattr(self, attname, nfc(value))

    @classmethod
    @functools.cache
    def _text_attnames(cls):
        """The text columns, found once per model (an import normalises ten thousand rows)."""
        return tuple(
            field.attname
            for field in cls._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        )


class TimeStampedModel(NormalizedModel):
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


def keep_name(instance, filename):
    """Files are saved under names of ours (StoredFile.store); the user's name is only shown."""
    return filename


class StoredFile(TimeStampedModel):
    """An uploaded file, its type found from its content and kept under a random name of ours.
    Served only through a view that checks the user's scope, never from a public URL."""

    title = models.CharField("tên tài liệu", max_length=255)
    file = models.FileField("tệp", upload_to=keep_name, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    # The name the file had on the user's computer (display_name): shown and given back on
    # download, never used as a path.
    original_name = models.CharField("tên tệp", max_length=150, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def store(self, upload, *, user, folder, allowed=DOCUMENT_TYPES):
        """Check the upload (type by content, size) and attach it; the caller saves the row.
        Raises ValidationError with a Vietnamese message."""
        self.content_type, extension, _label = check_upload(upload, allowed=allowed)
        self.size = upload.size
        self.original_name = display_name(upload.name)
        self.uploaded_by = user
        upload.seek(0)
        self.file.save(stored_name(folder, extension), upload, save=False)

    @contextlib.contextmanager
    def kept_if_saved(self):
        """Around the checks and the save of a row whose file is stored: if they refuse it, the
        file goes too, instead of staying on disk with no row to find it by."""
        try:
            yield
        except BaseException:
            if self.file:
                self.file.delete(save=False)
            raise


class SearchableModel(TimeStampedModel):
    """Keeps `search_text`, the unaccented lower-case words of `search_fields`, for free-text
    search that ignores case and diacritics on any database."""

    search_fields: tuple[str, ...] = ()
    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def fill_derived(self):
        super().fill_derived()
        self.search_text = search_key(*(getattr(self, f) for f in self.search_fields))


class AdministrativeUnitQuerySet(VisibleToMixin, models.QuerySet):
    def in_unit(self, unit):
        """`unit`, the units below it and the units that passed into them."""
        return self.filter(in_unit_q(unit, ""))

    def valid_during(self, first, last):
        """The units that existed on some day from `first` to `last` (a plan's year: 01/01 to
        31/12), without dates meaning always."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=last),
            Q(valid_to__isnull=True) | Q(valid_to__gte=first),
        )

    def valid_on(self, day):
        return self.valid_during(day, day)

    def keeping(self, unit_id):
        """These units and the one a record already has (ended since, or outside what is
        offered): editing the record keeps its unit instead of refusing it."""
        if not unit_id:
            return self
        return self | self.model.objects.filter(pk=unit_id)

    def latest_with_code(self, code):
        """The unit with this code, the current one if the code was used by several."""
        return self.filter(code=code).order_by(F("valid_to").desc(nulls_first=True)).first()

    def portal_province(self, day=None):
        """The province the portal serves (settings.PROVINCE_CODE) on `day` (default: today):
        the one that took it over once it had ended (Hà Giang's code 02 names Tuyên Quang from
        1 July 2025)."""
        day = day or today()
        province = self.filter(parent__isnull=True).latest_with_code(settings.PROVINCE_CODE)
        seen = set()
        while (
            province is not None
            and province.successor_id
            and province.valid_to is not None
            and province.valid_to < day
            and province.pk not in seen
        ):
            seen.add(province.pk)
            province = province.successor
        return province


class AdministrativeUnit(NormalizedModel):
    """A node of the tree of places: province, district, commune … with the dates it existed.

    `path` holds the ids from the root ("/1/7/42/"), so "this unit and everything below it" is
    one indexed prefix match, however deep the tree. `reach` adds the paths of the units that
    passed into it through `successor` (see khuyencong.scope).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh, thành phố trực thuộc Trung ương"
        DISTRICT = "district", "Huyện, quận, thị xã, thành phố thuộc tỉnh"
        COMMUNE = "commune", "Xã, phường, thị trấn"

    code = models.CharField("mã đơn vị", max_length=10)
    name = models.CharField("tên", max_length=200)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, default="")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    # Priority areas of the programme: a scheme there may be supported up to a rule's multiplier.
    is_highland = models.BooleanField("vùng cao, miền núi", default=False)
    is_border = models.BooleanField("biên giới", default=False)
    is_ethnic_minority = models.BooleanField("vùng đồng bào dân tộc thiểu số", default=False)
    is_poor = models.BooleanField("huyện nghèo, xã đặc biệt khó khăn", default=False)
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    # Written by the database (migration 0006) whenever a path or successor changes: this
    # unit's path, then those of the ended units whose records it now holds, none under another.
    reach = ArrayField(models.CharField(max_length=255), default=list, editable=False, blank=True)
    history = HistoricalRecords(excluded_fields=["reach"])

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="unit_code_unique_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_to_after_from",
            ),
            models.CheckConstraint(condition=~Q(successor=F("id")), name="unit_not_own_successor"),
        ]
        indexes = [
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            AdministrativeUnit.objects.filter(pk=self.pk).update(path=path)
            if old:  # re-root the subtree of a unit that moved
                for child in AdministrativeUnit.objects.filter(path__startswith=old).exclude(
                    pk=self.pk
                ):
                    child.save()
            self.path = path

    def dated_label(self, label=None):
        """`label` (by default the name) with the day the unit ended, for a unit that has:
        "Huyện Bắc Quang (đến 30/06/2025)". What every unit picker shows."""
        label = label or self.name
        if self.valid_to is None:
            return label
        return f"{label} (đến {format_date_vn(self.valid_to)})"

    def is_current_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def successor_on(self, day):
        """The unit that holds this one's place on `day`, following the successor links from
        unit to unit: itself if it still exists then, None where a unit ended without one."""
        unit, seen = self, set()
        while not unit.is_current_on(day):
            if unit.successor_id is None or unit.pk in seen:
                return None
            seen.add(unit.pk)
            unit = unit.successor
        return unit

    PRIORITY_FLAGS = ("is_highland", "is_border", "is_ethnic_minority", "is_poor")

    @property
    def priority_flags(self):
        """Labels of the priority-area flags of this unit or of a unit above it."""
        units = [self, *self.ancestors()]
        return [
            self._meta.get_field(flag).verbose_name
            for flag in self.PRIORITY_FLAGS
            if any(getattr(u, flag) for u in units)
        ]

    def ancestor_ids(self):
        """Ids of the units above this one, root first, read off the path (no query)."""
        return [int(x) for x in self.path.strip("/").split("/")[:-1] if x]

    def ancestors(self):
        """Units above this one, root first (one query)."""
        ids = self.ancestor_ids()
        units = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=ids)}
        return [units[i] for i in ids if i in units]

    def scope_paths(self):
        """Path prefixes of what this unit holds: its own, then its predecessors' (`reach`, as
        last read from the database: a unit saved in this process has only its own)."""
        return [self.path, *self.reach[1:]]

    def reach_ids(self):
        """Ids of this unit, its predecessors and every unit above one of them (no query): the
        units whose plans may fund schemes of this unit's area, today or before a reform."""
        return {int(i) for path in self.scope_paths() for i in path.strip("/").split("/") if i}

    def contains(self, other):
        return bool(other) and any(other.path.startswith(p) for p in self.scope_paths())


class User(AbstractUser):
    """A member of staff. What he sees is his unit and the units below it; his role says what
    he may do there."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Cán bộ Trung tâm / Sở"
        DISTRICT = "district", "Cán bộ cấp xã / huyện"
        MANAGER = "manager", "Lãnh đạo Sở / Trung tâm"
        ADMIN = "admin", "Quản trị hệ thống"

    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.DISTRICT)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Người dùng thấy dữ liệu của đơn vị này và các đơn vị trực thuộc.",
    )
    job_title = models.CharField("chức vụ", max_length=200, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(is_superuser=True) | Q(unit__isnull=False),
                name="user_unit_required_unless_admin",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """Vietnamese order: family name first ('Hoàng Văn Bình')."""
        return f"{self.last_name} {self.first_name}".strip()

    def role_label(self):
        """The role as the header shows it. Since 1 July 2025 there are no districts: the staff
        of a commune or ward (role "district", what a district's staff may do) are "cấp xã"."""
        if self.role == self.Role.DISTRICT and self.unit:
            if self.unit.level == AdministrativeUnit.Level.COMMUNE:
                return "Cán bộ cấp xã"
            if self.unit.level == AdministrativeUnit.Level.DISTRICT:
                return "Cán bộ cấp huyện"
        return self.get_role_display()

    @property
    def sees_everything(self):
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_provincial(self):
        """For templates: khuyencong.roles.is_provincial."""
        return roles.is_provincial(self)


class ReferenceModel(NormalizedModel):
    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=255)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class FundingSource(ReferenceModel):
    """Khuyến công quốc gia (Ministry budget) or địa phương (provincial budget)."""

    short_name = models.CharField("tên viết tắt", max_length=20)
    history = HistoricalRecords()

    class Meta(ReferenceModel.Meta):
        verbose_name = "nguồn kinh phí"
        verbose_name_plural = "nguồn kinh phí"


class ActivityType(ReferenceModel):
    """A khuyến công activity (Nghị định 45/2012/NĐ-CP, Điều 4): the nine groups are rows
    without a parent, the activities schemes fund are rows under them."""

    parent = models.ForeignKey(
        "self",
        verbose_name="nhóm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    for_facilities = models.BooleanField(
        "cơ sở đăng ký được",
        default=True,
        help_text="Bỏ chọn với nội dung cấp chương trình (tuyên truyền, hợp tác quốc tế, quản "
        "lý đề án…): cơ sở không đăng ký nhu cầu theo nội dung đó.",
    )
    history = HistoricalRecords()

    class Meta(ReferenceModel.Meta):
        verbose_name = "nội dung hoạt động khuyến công"
        verbose_name_plural = "nội dung hoạt động khuyến công"


class AccessEvent(models.Model):
    """Who signed in (or failed to), and who took data out of the portal: when and from where.
    Written once, never edited; the admin shows it read-only."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Đăng nhập"
        LOGIN_FAILED = "login_failed", "Đăng nhập sai"
        LOCKED_OUT = "locked_out", "Bị khóa đăng nhập"
        LOGOUT = "logout", "Đăng xuất"
        PASSWORD_CHANGED = "password_changed", "Đổi mật khẩu"
        EXPORT = "export", "Xuất dữ liệu"
        DOWNLOAD = "download", "Tải tệp"

    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)
    kind = models.CharField("sự kiện", max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_events",
    )
    # As typed on the login form, so that failures against unknown names are kept too.
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    path = models.CharField("đường dẫn", max_length=500, blank=True)
    detail = models.CharField("chi tiết", max_length=300, blank=True)

    class Meta:
        verbose_name = "nhật ký truy cập"
        verbose_name_plural = "nhật ký truy cập"
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username} · {self.at:%d/%m/%Y %H:%M}"
