"""What the browser journeys share: small files to upload, and the portal's page parts."""

import io

from pypdf import PdfWriter


def tiny_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def messages(page):
    return page.locator("ul.messages")


def badge(page):
    return page.locator(".page-head .badge")


def stat(page, label):
    card = page.locator(".cards .stat").filter(
        has=page.locator(".label").get_by_text(label, exact=True)
    )
    return card.locator(".value")


def entry(page, summary):
    """The fold-out entry form of the scheme page whose summary is `summary`, opened."""
    details = page.locator("details.entry").filter(
        has=page.locator("summary").get_by_text(summary, exact=True)
    )
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details
