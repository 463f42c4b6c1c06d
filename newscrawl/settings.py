"""Live settings only, grouped by intent. Scrapy's defaults apply to everything not named here."""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` checks spider arguments before the crawl starts; `demo` runs the offline demo.
COMMANDS_MODULE = "newscrawl.commands"

# --- Politeness -------------------------------------------------------------------------
USER_AGENT = "newscrawl/0.1 (news research crawler; obeys robots.txt)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 60
# Many Blogger hosts are one Google front end; keep politeness per blog host, not per IP.
CONCURRENT_REQUESTS_PER_IP = 0
# Saved pages (-a urls=file:///...) are read from disk, at full speed: no delay, 16 at a time.
DOWNLOAD_SLOTS = {"local-files": {"delay": 0, "concurrency": 16, "jitter": 0}}

# --- Faults: retries with backoff, Retry-After honoured ---------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.UnreachableHostMiddleware": 540,
    "newscrawl.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.middlewares.OnSiteRedirectMiddleware": 600,
}
# Exponential backoff between retries: base * 2**(attempt-1), capped. Retry-After is obeyed
# up to RETRY_AFTER_MAX seconds; a longer demand gives up on that request (counted, logged).
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0

# --- Size limits: what one Blogger page or feed page can be --------------------------------
# A feed page of 150 long posts is a few megabytes, a heavy post page rarely over 12 MB. A
# response above the maximum is dropped (and counted) before it is read to the end; Scrapy
# applies the same limits to the decompressed size, so a gzip bomb stops there too.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

# --- Discovery --------------------------------------------------------------------------
# Entries asked per feed request. Blogger caps it (150 today, 500 in the past) and the spider
# pages by what actually came back, so asking for more than the cap is safe.
BLOGGER_FEED_PAGE_SIZE = 500
# Retries of a feed document that arrives invalid or truncated, before the next format.
BLOGGER_FEED_PARSE_RETRIES = 2

# --- Items ------------------------------------------------------------------------------
# Offset used when a blog's own timestamps never reveal one.
NEWSCRAWL_DEFAULT_TZ = "Asia/Jakarta"

# --- Output -----------------------------------------------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.ValidateArticlePipeline": 100,
    "newscrawl.pipelines.DuplicateArticlePipeline": 200,
    "newscrawl.pipelines.StatePipeline": 300,
}
# Every run also writes exports/<spider>/<UTC start>.jsonl, next to any -o/-O feed.
# With REDIS_URL set (a setting or the environment), the Distributed add-on moves the request
# queue, the dupefilter and the state to Redis: see newscrawl.distributed.
ADDONS = {"newscrawl.export.ExportsFeed": 0, "newscrawl.distributed.Distributed": 10}
NEWSCRAWL_EXPORT_DIR = "exports"
FEED_EXPORT_ENCODING = "utf-8"
# -O posts.parquet: a typed Parquet file next to (or instead of) JSON Lines; see newscrawl.parquet.
FEED_EXPORTERS = {"parquet": "newscrawl.parquet.ParquetItemExporter"}
NEWSCRAWL_PARQUET_ROWS = 1000  # records per Parquet row group
# Files are written as <name>.part and renamed when complete (see newscrawl.export).
FEED_STORAGES = {"": "newscrawl.export.AtomicFileFeedStorage", "file": "newscrawl.export.AtomicFileFeedStorage"}
EXTENSIONS = {
    "newscrawl.runs.CrawlRun": 100,
    "newscrawl.monitor.SiteMonitor": 500,
}

# --- State: what earlier runs exported, per-site watermarks ----------------------------
NEWSCRAWL_STATE_ENABLED = True
NEWSCRAWL_STATE_BACKEND = "sqlite"
NEWSCRAWL_STATE_PATH = "state/newscrawl.sqlite3"
# Incremental feed requests ask for posts updated since the watermark minus this margin, so
# a post edited while the previous run was reading the feed is not missed.
NEWSCRAWL_WATERMARK_MARGIN_HOURS = 6
# A site whose feeds were off (403/404/410) is read from its sitemap without asking its feeds
# again, until they were last asked this many days ago.
NEWSCRAWL_FEEDS_RECHECK_DAYS = 7

# --- Security ---------------------------------------------------------------------------
# No control ports: the telnet console and Scrapy's remote-control HTTP server (which runs
# Python code sent to it) both listen by default.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

# --- Distributed crawls (only with REDIS_URL) -----------------------------------------------
REDIS_IDLE_TIMEOUT = 60  # a worker stops after this many seconds of empty queue
NEWSCRAWL_WORKER_ALIVE_SECONDS = 30  # a worker silent this long is dead; its sites are redone
NEWSCRAWL_ROUND_DAYS = 7  # how long a crawl round's request fingerprints are kept
NEWSCRAWL_REDIS_PREFIX = "newscrawl"
