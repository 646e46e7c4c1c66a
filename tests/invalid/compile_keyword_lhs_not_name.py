def f(**k):
    pass
f(a.b=1)
