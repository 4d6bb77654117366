"""The URL of the database this process is connected to (the test database, once created),
for the processes a test or a benchmark starts: workers, gunicorn, the portal."""

from urllib.parse import quote

from django.db import connection


def database_url():
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        login += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    if host.startswith("/"):  # a Unix socket folder (the embedded server)
        return f"postgres://{login}@/{db['NAME']}?host={quote(host, safe='/')}"
    return f"postgres://{login}@{host or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
