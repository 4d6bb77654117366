"""Support caps (định mức hỗ trợ): the list everyone may read, kept by officers with the
permission, and the exceptions granted above them."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from khuyencong.history import history_rows
from khuyencong.responses import require

from .. import services
from ..forms import SupportRuleForm
from ..models import RuleException, SupportRule


def _may_keep(user):
    return user.has_perm("schemes.change_supportrule")


def rule_list(request):
    rules = SupportRule.objects.select_related("activity_type", "funding_source")
    exceptions = (
        RuleException.objects.visible_to(request.user)
        .select_related("item__scheme", "rule__activity_type", "recorded_by")
        .order_by("-created_at")[:100]
    )
    context = {"rules": rules, "exceptions": exceptions, "can_edit": _may_keep(request.user)}
    return render(request, "schemes/rule_list.html", context)


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
            if form.is_valid():
                try:
                    services.saved(form.instance, request.user, "Lưu định mức hỗ trợ")
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
