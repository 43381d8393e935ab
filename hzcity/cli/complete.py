"""Values the shell completes: topic names and fact ids (Typer's ``autocompletion``).

A command completes a value by naming a function here, e.g. ``typer.Argument(
autocompletion=complete.topics)``.
"""

from collections.abc import Iterable

from hzcity.errors import HzError


def matching(names: Iterable[str], incomplete: str) -> list[str]:
    """The names that start with what has been typed, case-insensitively."""
    typed = incomplete.lower()
    return sorted(name for name in names if name.lower().startswith(typed))


def topics(incomplete: str) -> list[str]:
    """Topic names: the shipped ones and those of $HZCITY_FACTS_PATH."""
    from hzcity.catalog.model import Catalog

    try:
        return matching(Catalog.from_env(None).names(), incomplete)
    except HzError:  # a broken user directory: offer nothing rather than a traceback
        return []


def fact_ids(incomplete: str) -> list[str]:
    """Full fact ids, the form every listing but a one-topic one shows."""
    from hzcity.catalog.model import Catalog

    try:
        ids = [f.id for f in Catalog.from_env(None).facts()]
    except HzError:
        return []
    return matching(ids, incomplete)


def parameter_names(incomplete: str) -> list[str]:
    """Parameter names: the shipped ones and those of $HZCITY_FACTS_PATH's files."""
    from hzcity.loader import facts_roots
    from hzcity.policy.user import load_parameters

    try:
        return matching(load_parameters(facts_roots(None)), incomplete)
    except HzError:
        return []
