"""placeholder"""
def make_vms(d): raise NotImplementedError
def make_vmu(d): raise NotImplementedError
