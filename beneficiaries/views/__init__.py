"""District intake pages: facilities, requests, their documents and spreadsheet imports.
Every object is read through its scoped queryset; writes go through beneficiaries.services."""

from django.contrib import messages
from django.shortcuts import redirect


def sent_twice(request, record, view_name):
    """The answer to a form sent a second time: the record the first sending saved."""
    messages.info(
        request,
        "Biểu mẫu này đã được gửi rồi (có thể do bấm nút hai lần) nên không lưu thêm lần nữa. "
        f"Đây là {record._meta.verbose_name} đã lưu.",
    )
    return redirect(view_name, pk=record.pk)
