"""Two guards on every page of a signed-in user.

- OwnErrorPages: a record that does not exist or lies outside the user's scope (Http404), or a
  page of another role (PermissionDenied), gets the portal's Vietnamese 404 / 403 page, status
  kept, whatever DEBUG is. With DEBUG a signed-out visitor (a developer) still gets Django's
  technical pages; without DEBUG Django's own handlers already use the same templates.
- RefusedPostKept: post/redirect/get for a refused form. A form sent without htmx and answered
  with an HTML page (its errors and what was typed) instead of a redirect is kept in the cache
  for the user's session under a random token, and the browser is sent (303) to the same
  address with `?_r=<token>`; that GET shows the kept page again, with the status the POST
  had, as often as it is reloaded until it expires (then the address is rendered afresh, or,
  if it takes only forms, the browser goes back to the page it came from). A reload therefore
  never sends the form again; sending the shown form again works as before (its CSRF token is
  the session's).
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme


class OwnErrorPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and request.user.is_authenticated:
            # An address that names no page never reaches a view (nor process_exception).
            try:
                resolve(request.path_info)
            except Resolver404:
                if not self._slash_would_match(request):
                    return render(request, "404.html", status=404)
        return self.get_response(request)

    @staticmethod
    def _slash_would_match(request):
        """CommonMiddleware redirects /foo to /foo/ when the latter is a page: leave it that."""
        if not settings.APPEND_SLASH or request.path_info.endswith("/"):
            return False
        try:
            resolve(request.path_info + "/")
        except Resolver404:
            return False
        return True

    def process_exception(self, request, exception):
        if not request.user.is_authenticated:
            return None
        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"exception": str(exception)}, status=403)
        return None


KEPT_PARAMETER = "_r"
KEPT_STATUSES = {200, 400, 409, 422}


def _key(request, token):
    return f"kept-page:{request.session.session_key}:{token}"


class RefusedPostKept:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.GET.get(KEPT_PARAMETER, "")
        if request.method == "GET" and token and request.session.session_key:
            kept = cache.get(_key(request, token))
            if kept is not None:
                return self._shown(kept)
            # Expired: the address renders the page afresh, or, for an address that only takes
            # a form (a scheme's "add an item"), the browser goes back to the page it was on.
            response = self.get_response(request)
            referer = request.headers.get("Referer", "")
            if response.status_code == 405 and url_has_allowed_host_and_scheme(
                referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return HttpResponseRedirect(referer, status=303)
            return response
        if request.method == "POST" and KEPT_PARAMETER in request.GET:
            # The kept page's form sent again to its own address: the view never sees the token.
            request.GET = request.GET.copy()
            del request.GET[KEPT_PARAMETER]
        response = self.get_response(request)
        if self._refused_form(request, response):
            return self._kept(request, response)
        return response

    @staticmethod
    def _refused_form(request, response):
        return (
            request.method == "POST"
            and not request.headers.get("HX-Request")
            # The admin's own pages post to themselves with their filters in the address.
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
            and request.user.is_authenticated
            and request.session.session_key
            and response.status_code in KEPT_STATUSES
            and not response.streaming
            and not response.has_header("Content-Disposition")
            and response.get("Content-Type", "").startswith("text/html")
        )

    @staticmethod
    def _kept(request, response):
        token = secrets.token_urlsafe(12)
        cache.set(
            _key(request, token),
            {
                "content": response.content,
                "status": response.status_code,
                "content_type": response["Content-Type"],
            },
            settings.KEPT_PAGE_SECONDS,
        )
        query = request.GET.copy()
        query[KEPT_PARAMETER] = token
        # "See other": the browser follows with a GET.
        redirect = HttpResponseRedirect(f"{request.path}?{query.urlencode()}", status=303)
        # Cookies the refused page set (a new CSRF token, messages) go with the redirect.
        redirect.cookies = response.cookies
        return redirect

    @staticmethod
    def _shown(kept):
        response = HttpResponse(
            kept["content"], status=kept["status"], content_type=kept["content_type"]
        )
        add_never_cache_headers(response)
        return response
