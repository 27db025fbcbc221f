"""libexposure for Python: GAEN keys, the Bluetooth payload, the encrypted store, export files,
matching, risk scoring and the config linter (docs/bindings.md).

Every name comes from the native module ``exposure._exposure`` (pybind11 over
libexposure_c.so, which the wheel carries beside it); ``__init__.pyi`` holds the types.
"""

from ._exposure import *  # noqa: F401,F403
from ._exposure import __doc__ as _native_doc, __version__  # noqa: F401

__doc__ = _native_doc
