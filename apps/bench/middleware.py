from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

QUERY_COUNT_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the statements a request sent to the database (first in the chain, so all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(execute: Callable[..., Any], *args: Any) -> Any:
            nonlocal count
            count += 1
            return execute(*args)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response
