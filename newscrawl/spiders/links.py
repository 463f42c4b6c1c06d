"""Opt-in resolution of autoblog source links (``-a resolve_links=1``): a HEAD request per
redirect hop, each hop checked here, the record emitted when the chain ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawl.spiders.responses import failure_reason

PRIORITY_LINK_RESOLUTION = 40  # a record waits on it: finish it before fetching more

# Redirect hops followed when resolving a source link (shorteners chain: ift.tt -> bit.ly -> outlet).
MAX_LINK_HOPS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


class SourceLinks:
    """Spider mixin; the spider provides ``args``, ``crawler``, ``_problem`` and ``_crawl_for``."""

    def _emit(self, item: Any) -> Any:
        """The record itself, or, with -a resolve_links=1, a request resolving its source link
        first (the record follows when the redirect chain ends)."""
        if not (self.args.resolve_links and item.get("source_url")):
            return item
        return self._hop_request(item["source_url"], item, hops=0)

    def _hop_request(self, url: str, item: Any, hops: int) -> Request:
        return Request(
            url,
            method="HEAD",
            callback=self.parse_link_hop,
            errback=self.link_hop_failed,
            priority=PRIORITY_LINK_RESOLUTION,
            cb_kwargs={"item": item, "hops": hops},
            # Followed one hop at a time, so every hop is checked here; the outlet's and the
            # shortener's robots.txt still apply.
            meta={"allow_offsite": True, "dont_redirect": True, "handle_httpstatus_all": True},
        )

    def parse_link_hop(self, response: Response, item: Any, hops: int) -> Iterator[Any]:
        location = response.headers.get("Location")
        if response.status in _REDIRECTS and location and hops < MAX_LINK_HOPS:
            target = response.urljoin(location.decode("latin-1"))
            if target.startswith(("http://", "https://")):
                yield self._hop_request(target, item, hops + 1)
                return
        item["source_url_resolved"] = response.url
        self.crawler.stats.inc_value("newscrawl/source_links/resolved")
        yield item

    def link_hop_failed(self, failure: Failure) -> Iterator[Any]:
        item = failure.request.cb_kwargs["item"]
        self._problem(self._crawl_for(item["site"]), "link_resolution_failed", failure.request.url,
                      failure_reason(failure))
        yield item  # the record is not lost for want of its source's final address
