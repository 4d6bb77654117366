"""What browsers do to the portal in the fault tests: send back a page's form as it stands, and
send two requests at the same instant."""

import threading
from html.parser import HTMLParser

from django.db import connection, transaction
from django.test import Client

from tests.conftest import wait_for


class _FormReader(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.values = action, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action", "") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values[a["name"]] = a.get("value") or ("on" if "checked" in a else "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.values[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_values(page, action=""):
    """What a browser sends of the form posting to `action` (by default, the form posting to
    the page itself): its fields as the page shows them, hidden ones included."""
    reader = _FormReader(action)
    reader.feed(page)
    return reader.values


def _waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # not the transaction's cached view
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def posted_at_once(posts, *, hold):
    """Send the POSTs [(client, url, data)] at the same instant and return their answers,
    redirects followed. Each goes from a thread with a database connection of its own, released
    with the others by a barrier; `hold` is the SQL of a lock this function takes meanwhile, so
    that every request gets past its checks and waits at its first write until all are there."""
    barrier = threading.Barrier(len(posts))
    answers = [None] * len(posts)

    def send(i, client, url, data):
        browser = Client()  # the same session, each answer's messages in its own cookies
        browser.cookies.load({name: morsel.value for name, morsel in client.cookies.items()})
        try:
            barrier.wait(timeout=10)
            answers[i] = browser.post(url, data, follow=True)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(hold)
        for thread in threads:
            thread.start()
        wait_for(lambda: _waiting_on_a_lock() == len(posts), timeout=20, interval=0.02)
    for thread in threads:
        thread.join(timeout=30)
    assert all(answers), "a request did not finish"
    return answers


def table_held(model):
    """Rows of `model` may be read but not added."""
    return f"LOCK TABLE {model._meta.db_table} IN SHARE MODE"


def row_held(record):
    """The record's row may be read but not locked or changed."""
    return f"SELECT 1 FROM {record._meta.db_table} WHERE id = {int(record.pk)} FOR UPDATE"
