"""Inspection photos' thumbnails: a small JPEG beside each photo, made by the worker after the
inspection is saved (never in the web request); the page shows the full photo scaled down
until it exists."""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import SchemeDocument

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (320, 320)  # the longest side, in pixels


def thumbnail_dispatch(*, document_id):
    """Ask the worker for a photo's thumbnail. A broker that is down leaves the photo shown
    full-size, scaled by the page; nothing else depends on the thumbnail."""
    from .tasks import make_thumbnail

    try:
        make_thumbnail.apply_async(args=[document_id], retry=False)
    except Exception:
        log.exception("photo %s: broker unavailable, no thumbnail", document_id)
        return False
    return True


def thumbnail_dispatch_on_commit(document_id):
    transaction.on_commit(lambda: thumbnail_dispatch(document_id=document_id))


def _thumbnail_bytes(file):
    with file.open("rb") as handle, Image.open(handle) as image:
        image = ImageOps.exif_transpose(image)  # a phone's photo taken sideways stands up
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue()


def thumbnail_make(*, document_id):
    """In the worker: make the photo's thumbnail once. A photo gone, already done, or not an
    inspection's does nothing; two runs at once are serialised by the row's lock."""
    with transaction.atomic():
        photo = (
            SchemeDocument.objects.select_for_update()
            .filter(pk=document_id, inspection__isnull=False)
            .first()
        )
        if photo is None or photo.thumbnail:
            return None
        try:
            content = _thumbnail_bytes(photo.file)
        except (FileNotFoundError, UnidentifiedImageError, OSError):
            log.exception("photo %s: no thumbnail could be made", document_id)
            return None
        name = photo.file.name.rsplit(".", 1)[0] + ".thumb.jpg"
        photo.thumbnail.save(name, ContentFile(content), save=False)
        # Not a change of the record the history should show: an update, not a save.
        SchemeDocument.objects.filter(pk=photo.pk).update(thumbnail=photo.thumbnail.name)
        return photo.thumbnail.name
