"""The baseline of bench/bench_scale.py: what a bare Scrapy spider costs on the same blogs.

It does what a generic crawler does with a Blogger blog: reads the sitemap and fetches every
post page, keeping the URL, the title and the text of the post body, with no cleaning, no
dates, no dedup and no state. It runs with Scrapy's defaults (no project settings) at the same
concurrency as newscrawl, so the ratio between the two is newscrawl's own cost.

    scrapy runspider bench/bare_spider.py -a sites=FILE -O out.jsonl
"""

from __future__ import annotations

from pathlib import Path

import scrapy
from scrapy.utils.sitemap import Sitemap


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, sites: str, **kwargs):
        super().__init__(**kwargs)
        self.sites = [line.strip().rstrip("/") for line in Path(sites).read_text().splitlines() if line.strip()]

    async def start(self):
        for site in self.sites:
            yield scrapy.Request(f"{site}/sitemap.xml", callback=self.parse_sitemap)

    def parse_sitemap(self, response):
        sitemap = Sitemap(response.body)
        callback = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse_post
        for entry in sitemap:
            yield scrapy.Request(entry["loc"], callback=callback)

    def parse_post(self, response):
        yield {
            "url": response.url,
            "title": (response.css(".post-title::text").get() or "").strip(),
            "text": " ".join(response.css(".post-body ::text").getall()).strip(),
        }
