"""Downloader middlewares: retries with backoff and ``Retry-After``; redirects kept on-site;
hosts that cannot be reached are not asked again.

Scrapy's RetryMiddleware retries at once, which hammers a server that is already failing and
ignores ``Retry-After``. This subclass keeps its decision logic (codes, exceptions, max times,
stats, give-up logging) and only waits before handing the retry back.
"""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, NoRouteError

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, *, now: datetime | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that sleeps ``Retry-After`` or an exponential backoff before each retry."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 300.0)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.retry_after_max:
            logger.warning(
                "Giving up on %s: server asks to retry after %.0f s (more than RETRY_AFTER_MAX=%.0f)",
                request.url, asked, self.retry_after_max,
            )
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = asked if asked is not None else self._backoff(retry)
        if asked is not None:
            self.crawler.stats.inc_value("retry/retry_after_honoured")
        await self._sleep(delay, request, f"HTTP {response.status}")
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._sleep(self._backoff(retry), request, type(exception).__name__)
        return retry

    def _backoff(self, retry: Request) -> float:
        attempt = max(1, retry.meta.get("retry_times", 1))
        return min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))

    async def _sleep(self, delay: float, request: Request, reason: str) -> None:
        if delay <= 0:
            return
        logger.info("Retrying %s in %.1f s (%s)", request.url, delay, reason)
        self.crawler.stats.inc_value("retry/backoff_seconds", int(round(delay)))
        await asyncio.sleep(delay)


class OnSiteRedirectMiddleware(RedirectMiddleware):
    """RedirectMiddleware that refuses a redirect leaving the sites being crawled.

    Scrapy's offsite filter drops such a redirect silently at scheduling time, so the post
    would vanish without a word; refusing it here fails the request through its errback,
    which logs the URL and the reason. A redirect back to a URL of its own chain (a loop) is
    refused the same way: the scheduler's duplicate filter would drop it just as silently."""

    def _redirect(self, redirected: Request, source_request: Request, reason):
        owns_url = getattr(self.crawler.spider, "owns_url", None)
        if owns_url is not None and not owns_url(redirected.url):
            self.crawler.stats.inc_value("newscrawl/offsite_redirects")
            raise IgnoreRequest(f"redirect ({reason}) to {redirected.url} leaves the sites being crawled")
        chain = [*source_request.meta.get("redirect_urls", []), source_request.url]
        if redirected.url in chain:
            self.crawler.stats.inc_value("newscrawl/redirect_loops")
            loop = " -> ".join([*chain[chain.index(redirected.url):], redirected.url])
            raise IgnoreRequest(f"redirect loop ({loop})")
        return super()._redirect(redirected, source_request, reason)


# The host does not exist or nothing listens there: not a fault of one request, of the site.
UNREACHABLE = (CannotResolveHostError, DownloadConnectionRefusedError, DNSLookupError,
               ConnectionRefusedError, NoRouteError)


class HostUnreachable(IgnoreRequest):
    """A request not sent because its host was found unreachable earlier in the run."""


class UnreachableHostMiddleware:
    """Remembers a host (host:port) whose name does not resolve or that refuses connections,
    once the retry middleware has given up on it, and fails every later request to it at once
    with HostUnreachable. A dead site then costs the retries of its first request (robots.txt)
    instead of every route's: the spider sees HostUnreachable and gives the site up.

    Sits below the retry middleware (a lower number), so its ``process_exception`` only sees
    what retrying could not cure."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.unreachable: dict[str, str] = {}  # netloc -> why

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        netloc = urlparse_cached(request).netloc
        why = self.unreachable.get(netloc)
        if why is not None:
            self.crawler.stats.inc_value("newscrawl/unreachable/requests_not_sent")
            raise HostUnreachable(f"{netloc} is unreachable ({why}); not asked")
        return None

    def process_exception(self, request: Request, exception: Exception, spider=None):
        if isinstance(exception, UNREACHABLE):
            netloc = urlparse_cached(request).netloc
            if netloc not in self.unreachable:
                self.unreachable[netloc] = f"{type(exception).__name__}: {exception}".rstrip(": ")
                self.crawler.stats.inc_value("newscrawl/unreachable/hosts")
                logger.warning("%s is unreachable (%s): no more requests go to it in this run",
                               netloc, self.unreachable[netloc])
        return None
