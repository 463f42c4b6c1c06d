# One command sets up and runs a crawl, one sets up and runs the tests (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: setup demo crawl test bench clean

$(BIN)/scrapy: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(BIN)/scrapy

# Serve the bundled demo mirror on 127.0.0.1 and crawl it (no internet needed).
demo: setup
	$(BIN)/scrapy demo

# Crawl real blogs: make crawl ARGS="-a site=https://example.blogspot.com"
crawl: setup
	$(BIN)/scrapy crawl blogspot $(ARGS)

test: setup
	$(BIN)/python -m pytest -q $(ARGS)

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
