# One command sets up and runs a crawl, one sets up and runs the tests (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: setup redis-server chromium demo crawl test bench clean

$(BIN)/scrapy: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(BIN)/scrapy

# The tests of distributed crawls start a real Redis: Debian's redis-server package, installed
# once (as root, or through sudo). The tests run the program themselves on a free loopback port.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
redis-server:
	@command -v redis-server >/dev/null || { \
	  $(SUDO) apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends redis-server; }; }
	@command -v redis-server >/dev/null || { echo "redis-server could not be installed" >&2; exit 1; }

# The HTML report's test opens it in a real browser: Debian's chromium, run headless.
chromium:
	@command -v chromium >/dev/null || { \
	  $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }; }
	@command -v chromium >/dev/null || { echo "chromium could not be installed" >&2; exit 1; }

# Serve the bundled demo mirror on 127.0.0.1 and crawl it (no internet needed).
demo: setup
	$(BIN)/scrapy demo

# Crawl real blogs: make crawl ARGS="-a site=https://example.blogspot.com"
crawl: setup
	$(BIN)/scrapy crawl blogspot $(ARGS)

test: setup redis-server chromium
	$(BIN)/python -m pytest -q $(ARGS)

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
