"""Schemathesis hooks for scripts/schemathesis (loaded through SCHEMATHESIS_HOOKS).

One thing only: a guard around a bug of the machine's Python, not of qyzmet's API.

Hypothesis describes the lambdas of a strategy (a filter's predicate, a map) by parsing their
source with `ast.parse`. On CPython 3.11 before 3.11.8 the AST constructor's recursion
bookkeeping is not unwound on an error (python/cpython#106905), and with two workers changing
the process's recursion limit from two threads (`--workers 2`), a parse can fail with
`SystemError: AST constructor recursion depth mismatch`. Schemathesis reports that as a
"Runtime Error" of whichever operation was being generated (CI once saw it on
GET /api/v1/calendar), and the run fails though no request was ever sent.

A description is only used to name a lambda and to try to rewrite simple filters into bounds;
when it cannot be made, Hypothesis itself answers "lambda: <unknown>" and goes on. The guard
gives that same answer on these two errors, and nothing else changes.
"""

import inspect

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _lambda_description_guarded(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except (SystemError, RecursionError):
        try:
            params = str(inspect.signature(f))[1:-1]
        except (TypeError, ValueError):
            params = ""
        return f"lambda {params}: <unknown>" if params else "lambda: <unknown>"


lambda_sources._lambda_description = _lambda_description_guarded
