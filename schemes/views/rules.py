"""Support caps (định mức hỗ trợ): the list everyone may read, kept by officers with the
permission, and the exceptions granted above them."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from khuyencong.history import history_rows
from khuyencong.responses import list_export, require, sent_twice
from khuyencong.saving import SentTwice

from .. import caps, services
from ..exports import rule_columns
from ..forms import RulesOnDayForm, SupportRuleForm
from ..models import RuleException, SupportRule


def _may_keep(user):
    return user.has_perm("schemes.change_supportrule")


def _asked_day(request):
    """The day's form and the day asked (?ngay=dd/mm/yyyy), today when none or a bad one."""
    today = timezone.localdate()
    asked = request.GET if request.GET.get("ngay", "").strip() else None
    form = RulesOnDayForm(asked, initial={"ngay": today})
    return form, (form.cleaned_data["ngay"] if form.is_valid() else today)


def rule_list(request):
    """The rules of each fund that hold on the day asked (?ngay=dd/mm/yyyy, today by default),
    and apart from them those ended or not yet in force on it."""
    form, day = _asked_day(request)  # a bad day: its message
    exceptions = (
        RuleException.objects.visible_to(request.user)
        .select_related("item__scheme", "rule__activity_type", "recorded_by")
        .order_by("-created_at")[:100]
    )
    context = {
        "form": form,
        "day": day,
        "funds": caps.rules_on(day),
        "exceptions": exceptions,
        "can_edit": _may_keep(request.user),
    }
    return render(request, "schemes/rule_list.html", context)


def rule_export(request):
    """Every rule, each with whether it holds on the day asked, as the page lists them."""
    _form, day = _asked_day(request)
    rows = []
    for fund in caps.rules_on(day):
        rows += [(rule, "Áp dụng") for rule in fund.holding]
        rows += fund.others
    return list_export(
        request,
        name="dinh-muc-ho-tro",
        title="Định mức hỗ trợ",
        columns=rule_columns(day),
        rows=rows,
        back=reverse("schemes:rule_list"),
    )


def _sent_twice(request, rule):
    """The new rule's form sent again: its message, then the list, where a save lands too (the
    edit page may be closed to one who may only add)."""
    sent_twice(request, rule, "schemes:rule_edit")
    return redirect("schemes:rule_list")


def _rule_form(request, rule):
    permission = "change_supportrule" if rule.pk else "add_supportrule"
    require(
        request.user.has_perm(f"schemes.{permission}"),
        "Chỉ cán bộ được phân quyền mới thêm, sửa định mức hỗ trợ.",
    )
    if request.method != "POST":
        form = SupportRuleForm(instance=rule)
    else:
        with transaction.atomic():
            if rule.pk:  # the version check compares against the row as it is now
                rule = SupportRule.objects.select_for_update().get(pk=rule.pk)
            form = SupportRuleForm(request.POST, instance=rule)
            if earlier := form.sent_before():
                return _sent_twice(request, earlier)
            if form.is_valid():
                try:
                    services.saved(form.instance, request.user, "Lưu định mức hỗ trợ")
                except SentTwice as twice:
                    return _sent_twice(request, twice.record)
                except services.RuleBroken as refusal:
                    form.add_error(None, str(refusal))
                else:
                    messages.success(request, "Đã lưu định mức hỗ trợ.")
                    return redirect("schemes:rule_list")
    context = {"form": form, "rule": rule, "history": history_rows(rule) if rule.pk else []}
    return render(request, "schemes/rule_form.html", context)


def rule_create(request):
    return _rule_form(request, SupportRule())


def rule_edit(request, pk):
    return _rule_form(request, get_object_or_404(SupportRule, pk=pk))
