"""One error tree; the CLI maps each class to its exit code in one place."""


class HzError(Exception):
    """Base of every error hzcity reports to a user as one line."""

    exit_code = 1


class NotFound(HzError):
    """An unknown topic, fact id or parameter."""

    exit_code = 1


class BadInput(HzError):
    """A value the user typed that cannot be used (amount, date, class...)."""

    exit_code = 2


class InvalidData(HzError):
    """A fact or parameter file that cannot be read or breaks the schema."""

    exit_code = 3


class NoRateInForce(HzError):
    """A date outside every window a policy parameter documents."""

    exit_code = 4
