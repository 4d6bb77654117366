"""HTML to PDF with WeasyPrint: fonts from static/fonts, and nothing fetched from anywhere else,
so user text can never make the renderer read a URL or a local file."""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered against this made-up origin; only its /static/ URLs resolve.
BASE_URL = "https://khuyencong.invalid/"
_STATIC_PREFIX = BASE_URL + "static/"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(_STATIC_PREFIX):
            raise ValueError(f"Không tải tài nguyên ngoài thư mục static: {url}")
        relative = url.removeprefix(_STATIC_PREFIX).split("?")[0]
        found = finders.find(relative)
        if not found or ".." in Path(relative).parts:
            raise ValueError(f"Không có tệp static: {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def render_html(template_name, context):
    """The HTML a PDF is made from; its static files are addressed under `static_base`."""
    return render_to_string(template_name, {**context, "static_base": _STATIC_PREFIX})


def html_to_pdf(html):
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=FontConfiguration())


def render_pdf(template_name, context):
    """Render a Django template to PDF bytes."""
    return html_to_pdf(render_html(template_name, context))
