"""newscrawl: Blogger news mirrors into clean, deduplicated JSON Lines (see README.md).

``newscrawl.read_exports(path, ...)`` loads exports for analysis (``newscrawl.reading``).
"""


def read_exports(*paths):
    """Every record of the JSON Lines and Parquet exports under ``paths`` as a typed pandas
    DataFrame (see ``newscrawl.reading``)."""
    from newscrawl.reading import read_exports as read  # pandas and pyarrow only when asked

    return read(*paths)
