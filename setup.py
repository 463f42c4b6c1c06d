"""Packaging for Scrapyd: ``scrapyd-deploy`` builds the project egg from this file.

The ``scrapy`` entry point tells Scrapyd's runner which settings module the egg carries.
The record's JSON Schema (newscrawl/article.schema.json) and the demo mirror's blog description
(newscrawl/demo/blogs.json) are package data: they ship too.
"""

from setuptools import find_packages, setup

setup(
    name="newscrawl",
    version="0.1",
    packages=find_packages(exclude=("tests", "tests.*", "bench", "bench.*")),
    package_data={"newscrawl": ["article.schema.json"], "newscrawl.demo": ["blogs.json"]},
    entry_points={"scrapy": ["settings = newscrawl.settings"]},
)
