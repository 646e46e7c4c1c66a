"""Import-time stand-in for `warnings`."""


def warn(*args, **kwargs):
    pass
