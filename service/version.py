"""The release of Sổ Vàng, in one place: the package's metadata (pyproject.toml reads it
from here), ``sovang --version``, ``/healthz`` and the OpenAPI document."""

VERSION = "0.2.0"
