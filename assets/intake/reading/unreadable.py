"""The one exception a reader raises for a file it cannot read at all."""


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is a plain Danish sentence."""
