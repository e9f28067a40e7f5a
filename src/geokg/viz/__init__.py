"""See the graph: a networkx projection of the store and a self-contained HTML page.

``to_networkx`` projects entities and events (:mod:`geokg.viz.graph` documents the
node and edge attributes); ``to_html``/``write_html`` draw such a graph as one HTML
file with its JavaScript inlined; ``Page`` shows that page inside a notebook.
"""

from geokg.viz.graph import ENTITY_TYPES, EVENT_ROLES, VIEWS, to_networkx
from geokg.viz.page import Page, to_html, write_html

__all__ = ["ENTITY_TYPES", "EVENT_ROLES", "VIEWS", "Page", "to_html", "to_networkx", "write_html"]
