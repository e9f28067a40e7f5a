"""How geokg authenticates at a remote triple store: a value, without the HTTP client.

The CLI declares its ``--auth`` choices from here, so ``geokg --help`` does not load
``requests``; :mod:`geokg.remote` sends the requests.

Example:
    >>> Credentials(user="dba", password="secret", auth="digest").auth
    'digest'
"""

from __future__ import annotations

from dataclasses import dataclass

from geokg.errors import ConfigError

__all__ = ["AUTH_SCHEMES", "Credentials"]

AUTH_SCHEMES = ("auto", "basic", "digest")


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: user and password (basic, digest or auto), or a bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None
    auth: str = "auto"

    def __post_init__(self) -> None:
        if self.auth not in AUTH_SCHEMES:
            raise ConfigError("auth", self.auth, AUTH_SCHEMES)
        if self.token and self.user:
            raise ConfigError("token", "…", "Give either a user and password or a token, not both")
        if self.user is not None and self.password is None:
            raise ConfigError("password", None, f"A password is needed for user {self.user!r}")
