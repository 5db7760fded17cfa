"""placeholder"""
def make_mirax(d, fmt): raise NotImplementedError
