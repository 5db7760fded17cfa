"""placeholder"""
def make_sakura(d): raise NotImplementedError
