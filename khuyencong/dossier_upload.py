"""The answer to a dossier's several files sent at once, for a request's and a scheme's pages:
the files checked, each given its kind, stored all or none by the app's service; what happened
said in messages on the page it came from. The upload script (static/js/uploads.js) sends with
its progress shown and is answered 204 with where to go, so that no page reads the messages on
its way."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from .forms import DossierBatchForm
from .saving import RuleBroken, SentTwice
from .uploads import kinds_for_batch
from .workflow import TransitionRefused

SENT_BEFORE = (
    "Các tệp này đã được tải lên rồi (có thể do bấm nút hai lần) nên không lưu thêm lần nữa."
)
NOTHING_SAVED = "Không tệp nào được lưu; hãy sửa các tệp sau rồi gửi lại:"


def _back(request, url):
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return HttpResponse(status=204, headers={"X-Location": url})
    return redirect(url)


def dossier_batch(request, *, kinds, saves, provided, store, back_url):
    """Check the sending against the dossier's `kinds` (those already `provided` are not
    offered again to a file with no row), then `store(uploads, form_token)` — the service —
    and go back to `back_url`."""
    form = DossierBatchForm(request.POST, request.FILES, kinds=kinds, saves=saves)
    if form.sent_before():
        messages.info(request, SENT_BEFORE)
        return _back(request, back_url)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, back_url)
    files = form.cleaned_data["files"]
    chosen = kinds_for_batch([f.name for f in files], form.cleaned_data["kinds"], kinds, provided)
    try:
        documents = store(list(zip(files, chosen, strict=True)), form.cleaned_data["form_token"])
    except SentTwice:
        messages.info(request, SENT_BEFORE)
    except ValidationError as error:
        messages.error(request, NOTHING_SAVED)
        for message in error.messages:
            messages.error(request, message)
    except (TransitionRefused, RuleBroken) as refusal:
        messages.error(request, str(refusal))
    else:
        names = "; ".join(f"{d.title} — {d.original_name}" for d in documents)
        messages.success(request, f"Đã tải lên {len(documents)} tệp: {names}.")
    return _back(request, back_url)
