"""Project package and core app: administrative units, staff, reference lists, shared helpers."""

from .celery import app as celery_app

__all__ = ["celery_app"]
