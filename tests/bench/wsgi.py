"""The portal as production serves it (khuyencong/wsgi.py), with the benchmarks' URLs
(tests/bench/urls.py) so that the load test reaches the trivial view in the same server."""

import os

from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
application = get_wsgi_application()
# Each request reads ROOT_URLCONF: from now on, the benchmarks' URLs.
override_settings(ROOT_URLCONF="tests.bench.urls").enable()
