"""geokg: news articles in, a validated knowledge graph of geopolitics and commodities out."""

__version__ = "0.1.0"
