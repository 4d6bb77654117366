"""Background work of the schemes app. Tasks take ids and are safe to run twice."""

from celery import shared_task

from . import photos


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def make_thumbnail(document_id):
    return photos.thumbnail_make(document_id=document_id)
