"""
Loaded by the moto_server the tests start (test/support/moto.ts puts this folder on its
PYTHONPATH; Python imports a `sitecustomize` module at start-up).

moto routes each request by its Host header and, on the way, lists its own package folder
(`moto.backends.list_of_moto_modules`: a listdir and about 170 stat calls per request, a quarter of
its CPU time in the archive tests). The folder does not change while the server runs, so the list
is read once. Nothing else in moto is changed; without moto this does nothing.
"""

import functools

try:
    from moto import backends
except ImportError:
    pass
else:
    _list_of_moto_modules = backends.list_of_moto_modules
    backends.list_of_moto_modules = functools.cache(lambda: tuple(_list_of_moto_modules()))
