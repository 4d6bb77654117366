"""Faults provoked against real services, each checking that nothing asked for is lost and
that the portal recovers without a restart:

- PostgreSQL restarted while pages are served (test_database_restart.py);
- Redis stopped and started again around a report request, with a worker running all along
  (test_redis_outage.py);
- the disk for generated files unwritable, then writable again (test_unwritable_disk.py);
- a form and a transition sent twice at the same instant (test_double_submit.py);
- two people saving the same record (test_concurrent_edit.py).

Covered elsewhere and not repeated here: a worker killed in the middle of a report, the broker
down when a report is requested with the worker started once it is back, and the sweep that
sends again what may be lost (tests/reports/test_report_faults.py); a facility or a scheme
saved over a colleague's change (tests/beneficiaries/test_facility_form.py,
tests/schemes/test_scheme_pages.py); double clicks one after the other
(tests/beneficiaries/test_request_pages.py, test_facility_form.py, test_imports.py,
tests/reports/test_report_pages.py, tests/schemes/test_lifecycle.py).

Every service a test stops is its own, on a free port of 127.0.0.1 (tests/services.py): the
machine's shared PostgreSQL and Redis are never stopped.
"""
