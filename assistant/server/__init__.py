"""The web server: the app factory, its middleware, the JSON API, the pages and their presenters."""

from .app import create_app

__all__ = ["create_app"]
