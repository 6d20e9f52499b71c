"""Fetching, reading and extraction: from sources (URLs, files, WARCs) to articles and citations."""
