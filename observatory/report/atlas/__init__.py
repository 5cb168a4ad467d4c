"""atlas"""


def write_atlas(*a, **k):
    raise NotImplementedError
